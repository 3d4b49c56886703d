import {
  type ActivationFunctions,
  type ActivationLike,
  activationFunctions,
} from '../activations.js';
import { brentRoot } from '../brent-root.js';
import { invalidArgument } from '../invalid-argument.js';
import { lengthFixedPoint } from './length.js';
import { type Moments, moments, Q_FLOOR, Q_LIMIT } from './moments.js';
import { checkLength, checkParams, type MeanFieldParams } from './params.js';

/** The length both inputs have when none is given: q*, or its limits. */
function defaultLength(act: ActivationFunctions, params: MeanFieldParams): number {
  const fixed = lengthFixedPoint(act, params);
  // Every length is a fixed point: the maps do not depend on it for a homogeneous activation.
  return fixed.fate === 'marginal' ? 1 : fixed.qStar;
}

function checkCorrelation(c: number): void {
  if (typeof c !== 'number' || !(c >= -1 && c <= 1)) {
    throw invalidArgument('c', c, 'a correlation from -1 to 1');
  }
}

interface Map1d {
  readonly value: (c: number) => number;
  readonly slope: (c: number) => number;
}

/**
 * The correlation map and its slope when both inputs have length q:
 * C(c) = (sw2 E[phi(u1) phi(u2)] + sb2) / (sw2 E[phi(u)^2] + sb2), the correlation of the two
 * pre-activations one layer on (Poole et al. 2016), and
 * C'(c) = sw2 q E[phi'(u1) phi'(u2)] / (sw2 E[phi(u)^2] + sb2) by Price's theorem, which at q*
 * is Schoenholz et al.'s chi_c = sw2 E[phi'(u1) phi'(u2)].
 * The denominator is the kernel at c = 1 from the same rule, so C(1) = 1 to rounding.
 */
function correlationMapAt(
  m: Moments,
  homogeneous: boolean,
  params: MeanFieldParams,
  q: number,
): Map1d {
  const { sw2, sb2 } = params;
  if (q === Number.POSITIVE_INFINITY) {
    // The limit of a diverging length: sb2 no longer matters next to sw2 E[phi^2].
    const big = homogeneous ? 1 : Q_LIMIT;
    const norm = m.kernel(big, 1);
    return {
      value: (c) => m.kernel(big, c) / norm,
      slope: (c) => (big * m.slopeKernel(big, c)) / norm,
    };
  }
  if (q === 0 && sb2 === 0) {
    // The fixed point q* = 0 of sb2 = 0: the limit sb2 -> 0+, where q* -> 0+ with
    // sb2 = q* - sw2 E[phi^2], so C(c) = 1 + sw2 (E[phi(u1) phi(u2)] - E[phi(u)^2]) / q*.
    const norm = m.kernel(Q_FLOOR, 1);
    return {
      value: (c) => 1 + (sw2 * (m.kernel(Q_FLOOR, c) - norm)) / Q_FLOOR,
      slope: (c) => sw2 * m.slopeKernel(Q_FLOOR, c),
    };
  }
  const qe = Math.max(q, Q_FLOOR);
  const denominator = sw2 * m.kernel(qe, 1) + sb2;
  return {
    value: (c) => (sw2 * m.kernel(qe, c) + sb2) / denominator,
    slope: (c) => (sw2 * qe * m.slopeKernel(qe, c)) / denominator,
  };
}

function mapFor(activation: ActivationLike, params: MeanFieldParams, q: number | undefined): Map1d {
  checkParams(params);
  const act = activationFunctions(activation);
  const length = q ?? defaultLength(act, params);
  checkLength('q', length, true);
  return correlationMapAt(moments(act), act.closedForms?.homogeneous === true, params, length);
}

/**
 * C(c): the correlation of two inputs' pre-activations one layer on, when it is c now and both
 * have length q (by default q*, the fixed point of the length map; Infinity gives the limit of a
 * diverging length, 0 with sb2 = 0 the limit sb2 -> 0+).
 */
export function correlationMap(
  activation: ActivationLike,
  params: MeanFieldParams,
  c: number,
  q?: number,
): number {
  checkCorrelation(c);
  return mapFor(activation, params, q).value(c);
}

/** dC/dc at c (chi_c at c = c*, Schoenholz et al. 2017), with q as in correlationMap. */
export function correlationMapSlope(
  activation: ActivationLike,
  params: MeanFieldParams,
  c: number,
  q?: number,
): number {
  checkCorrelation(c);
  return mapFor(activation, params, q).slope(c);
}

/**
 * The stable fixed point c* of the correlation map on [0, 1] and the map's slope chi_c there,
 * for a map whose slope at c = 1 exceeds 1 (where it is at most 1, c* = 1 and chi_c = chi_1).
 * E[phi(u1) phi(u2)] is a power series in c with non-negative coefficients (expand phi in
 * Hermite polynomials), so C is increasing and convex on [0, 1] with C(0) >= 0 and C(1) = 1:
 * C(c) - c has one root below 1 and is negative between it and 1. `every` is true when
 * C(c) = c for every c (the identity map of a linear network), where no c* is singled out.
 */
export interface CorrelationFixedPoint {
  readonly cStar: number;
  readonly chiC: number;
  readonly every: boolean;
}

/** Residuals below this are rounding (the two-dimensional rule is good to about 1e-10 and better). */
const FLAT = 1e-12;

export function correlationFixedPoint(
  activation: ActivationLike,
  params: MeanFieldParams,
  q?: number,
): CorrelationFixedPoint {
  const map = mapFor(activation, params, q);
  const excess = (c: number) => map.value(c) - c;
  const atZero = excess(0);
  if (Math.abs(atZero) <= FLAT && Math.abs(excess(0.5)) <= FLAT && Math.abs(excess(0.9)) <= FLAT) {
    return { cStar: Number.NaN, chiC: 1, every: true };
  }
  if (atZero <= FLAT) return { cStar: 0, chiC: map.slope(0), every: false };
  let lower = 0;
  for (let k = 1; k <= 12; k++) {
    const upper = 1 - 10 ** -k;
    if (excess(upper) < -FLAT) {
      const cStar = brentRoot(excess, lower, upper, 1e-13);
      return { cStar, chiC: map.slope(cStar), every: false };
    }
    lower = upper;
  }
  // No root separable from 1 (for a map like ReLU's, C(c) - c ~ (1 - c)^(3/2) stays above 0).
  return { cStar: 1, chiC: map.slope(1), every: false };
}
