import type { Thresholds } from '../spec/schema.js';
import type { Verdict } from './types.js';

/**
 * The verdict of one gradient norm, given the reference norm it is compared with (the last
 * layer's for a layer, the last time step's for a signal profile). Rules, in order:
 * 1. any NaN/Inf in the gradient, or a non-finite norm: non-finite;
 * 2. norm > explodingNorm, or norm / reference > explodingRatio: exploding;
 * 3. norm < vanishingNorm, or norm / reference < vanishingRatio: vanishing;
 * 4. otherwise healthy.
 */
export function judgeNorm(
  norm: number,
  reference: number,
  nonFinite: number,
  t: Thresholds,
): Verdict {
  if (nonFinite > 0 || !Number.isFinite(norm)) return 'non-finite';
  const ratio = reference > 0 ? norm / reference : norm > 0 ? Number.POSITIVE_INFINITY : 1;
  if (norm > t.explodingNorm || ratio > t.explodingRatio) return 'exploding';
  if (norm < t.vanishingNorm || ratio < t.vanishingRatio) return 'vanishing';
  return 'healthy';
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = {
  vanishingRatio: 1e-3,
  explodingRatio: 1e3,
  vanishingNorm: 1e-8,
  explodingNorm: 1e3,
  vanishingGradToWeight: 1e-7,
  explodingGradToWeight: 1e3,
  deadFraction: 0.5,
  saturatedFraction: 0.5,
};
