/**
 * What a reported norm is, so that every display can say it instead of printing a bare number.
 * Browser-safe (no tfjs): the CLI, reports and the playground classify the same way.
 *
 * gradlab's norms are computed scale-safely (see ./norm.ts), so a reported norm is 0 only when
 * every entry of the float32 tensor is exactly 0: either the quantity is structurally zero
 * (dead ReLU units, an update smaller than the weights' last bit) or it underflowed during
 * backpropagation itself, before any norm was taken. A norm between 0 and float32's smallest
 * normal number is subnormal: it has lost precision (and GPUs flush such values to 0).
 */

/** The smallest positive normal float32, 2^-126. */
export const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

/**
 * - `zero`: exactly 0;
 * - `subnormal`: positive but below float32's normal range: shown as "<1.2e-38", never as 0;
 * - `finite`: an ordinary measurement;
 * - `non-finite`: NaN or +-Infinity.
 */
export type NormKind = 'zero' | 'subnormal' | 'finite' | 'non-finite';

export function normKind(value: number): NormKind {
  if (!Number.isFinite(value)) return 'non-finite';
  if (value === 0) return 'zero';
  if (Math.abs(value) < FLOAT32_MIN_NORMAL) return 'subnormal';
  return 'finite';
}

/** The label of a norm that is not an ordinary measurement, or null for one that is. */
export function normMarker(value: number): string | null {
  switch (normKind(value)) {
    case 'zero':
      return '0 (exact)';
    case 'subnormal':
      return '<1.2e-38 (below float32)';
    case 'non-finite':
      return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Inf' : '-Inf';
    default:
      return null;
  }
}
