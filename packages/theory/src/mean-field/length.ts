import { type ActivationLike, activationFunctions } from '../activations.js';
import { brentRoot } from '../brent-root.js';
import { moments } from './moments.js';
import { checkLength, checkParams, type MeanFieldParams } from './params.js';

/**
 * The length map q^l = sw2 E[phi(sqrt(q^(l-1)) z)^2] + sb2 (Poole et al. 2016): the
 * second moment of a pre-activation, one layer on, when the one before has second moment q.
 */
export function lengthMap(activation: ActivationLike, params: MeanFieldParams, q: number): number {
  checkParams(params);
  checkLength('q', q);
  return params.sw2 * moments(activationFunctions(activation)).secondMoment(q) + params.sb2;
}

/**
 * dq^l / dq^(l-1) = sw2 E[phi'(u)^2 + phi(u) phi''(u)]: the rate at which a length near a fixed
 * point q* returns to it (Schoenholz et al. 2017).
 */
export function lengthMapSlope(
  activation: ActivationLike,
  params: MeanFieldParams,
  q: number,
): number {
  checkParams(params);
  checkLength('q', q);
  return params.sw2 * moments(activationFunctions(activation)).secondMomentSlope(q);
}

/**
 * Where the length map leads from q0:
 * - 'fixed-point': it converges to qStar (0 when the signal dies out, for sb2 = 0);
 * - 'diverges': it grows without bound (qStar = Infinity), as for ReLU with sw2 > 2;
 * - 'marginal': every length is a fixed point (qStar = NaN), as for ReLU with sw2 = 2, sb2 = 0.
 */
export type LengthFate = 'fixed-point' | 'diverges' | 'marginal';

export interface LengthFixedPoint {
  readonly fate: LengthFate;
  readonly qStar: number;
}

/** Past this the length is taken to grow without bound: no bounded activation gets near it. */
export const Q_DIVERGES = 1e15;
const ITERATIONS = 300;
/** Far below any length that matters and far above Q_FLOOR, where the moments stop following q. */
const Q_VANISHED = 1e-150;

/**
 * The fixed point q* the length map reaches from q0: iterated while that converges fast, then
 * bracketed and solved by Brent's method (near the critical line the iteration slows to a crawl,
 * |q^l - q*| ~ 1/l for tanh at sw2 = 1). The length map is increasing in q, so iterates move
 * monotonically towards the first fixed point in their direction; that is the one bracketed.
 */
export function lengthFixedPoint(
  activation: ActivationLike,
  params: MeanFieldParams,
  q0 = 1,
): LengthFixedPoint {
  checkParams(params);
  checkLength('q0', q0);
  const act = activationFunctions(activation);
  const m = moments(act);
  const { sw2, sb2 } = params;
  if (act.closedForms?.homogeneous) {
    // Affine length map q -> sw2 m q + sb2 with m = E[phi(z)^2].
    const growth = sw2 * m.secondMoment(1);
    if (growth < 1) return { fate: 'fixed-point', qStar: sb2 / (1 - growth) };
    if (growth === 1 && sb2 === 0) return { fate: 'marginal', qStar: Number.NaN };
    return { fate: 'diverges', qStar: Number.POSITIVE_INFINITY };
  }
  const map = (q: number) => sw2 * m.secondMoment(q) + sb2;
  const excess = (q: number) => map(q) - q;
  // 0 is a fixed point when phi(0) = 0 and sb2 = 0; a length this small is on its way there
  // (the moments themselves are taken at q >= Q_FLOOR, so iterates settle near Q_FLOOR).
  const zeroIsFixed = sb2 === 0 && act.phi(0) === 0;
  const vanished = (q: number) => zeroIsFixed && q < Q_VANISHED;
  let q = q0;
  for (let i = 0; i < ITERATIONS; i++) {
    const next = map(q);
    if (!(next < Q_DIVERGES)) return { fate: 'diverges', qStar: Number.POSITIVE_INFINITY };
    if (vanished(next)) return { fate: 'fixed-point', qStar: 0 };
    if (Math.abs(next - q) <= 1e-14 * next) return { fate: 'fixed-point', qStar: next };
    q = next;
  }
  const g = excess(q);
  if (g === 0) return { fate: 'fixed-point', qStar: q };
  if (g > 0) {
    let lower = q;
    let upper = 2 * q + 1;
    while (excess(upper) > 0) {
      lower = upper;
      upper *= 2;
      if (upper > Q_DIVERGES) return { fate: 'diverges', qStar: Number.POSITIVE_INFINITY };
    }
    return { fate: 'fixed-point', qStar: brentRoot(excess, lower, upper) };
  }
  let upper = q;
  let lower = q / 16;
  while (excess(lower) < 0) {
    upper = lower;
    lower /= 16;
    if (lower < Q_VANISHED) {
      if (zeroIsFixed) return { fate: 'fixed-point', qStar: 0 };
      lower = 0;
      break;
    }
  }
  return { fate: 'fixed-point', qStar: brentRoot(excess, lower, upper) };
}
