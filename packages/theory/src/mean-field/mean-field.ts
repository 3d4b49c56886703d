import { type ActivationLike, activationFunctions } from '../activations.js';
import { invalidArgument } from '../invalid-argument.js';
import { chi1At } from './chi1.js';
import { correlationFixedPoint } from './correlation.js';
import { type LengthFate, lengthFixedPoint } from './length.js';
import { moments } from './moments.js';
import { checkParams, type MeanFieldParams } from './params.js';

export type Phase = 'ordered' | 'critical' | 'chaotic';

/**
 * |chi_1 - 1| below this is 'critical'. Over 100 layers, chi_1^100 then stays within
 * e^(+-0.1) of 1 (about 10%), and the depth scales exceed 1000 layers: for any network gradlab
 * trains the point is on the critical line.
 */
export const CRITICAL_TOLERANCE = 1e-3;

/** Above this q the quadrature's accuracy falls below 1e-6 (see the package README). */
export const ACCURATE_Q = 64;

/** What mean-field theory predicts at one (sw2, sb2) for one activation. */
export interface MeanFieldPoint {
  activation: string;
  sw2: number;
  sb2: number;
  /** Fixed point of the length map; Infinity when the length diverges, NaN when every length is a fixed point. */
  qStar: number;
  /** How the length map behaves: converges to qStar, diverges, or preserves every length. */
  lengthFate: LengthFate;
  /** sw2 E[phi'(sqrt(q*) z)^2]: the factor by which E[(dL/dh)^2] shrinks (< 1) or grows (> 1) per layer backwards. */
  chi1: number;
  /** Stable fixed point of the correlation map; NaN when every correlation is a fixed point (linear, chaotic side). */
  cStar: number;
  /** Slope of the correlation map at c*: chi_1 when c* = 1. */
  chiC: number;
  /** Depth scale of the length's approach to q*: -1 / log(sw2 E[phi'^2 + phi phi'']); NaN when the length diverges. */
  xiQ: number;
  /** Depth scale of the correlation's approach to c*: -1 / log(chi_c); Infinity on the critical line. */
  xiC: number;
  phase: Phase;
  /** 6 xi_c: the depth beyond which Schoenholz et al. (2017) found networks untrainable. */
  trainableDepth: number;
  /** What is special at this point (a limit taken, a length that diverges, reduced accuracy). */
  notes: string[];
}

export interface MeanFieldOptions {
  /** |chi_1 - 1| below which the phase is 'critical'; default CRITICAL_TOLERANCE. */
  readonly criticalTolerance?: number;
  /** The input length the length map starts from; default 1. */
  readonly q0?: number;
}

/** Slopes within this of 1 are 1: below the quadrature's accuracy, a depth scale is unbounded. */
const UNIT_SLOPE = 1e-9;

function depthScale(slope: number): number {
  if (slope >= 1 - UNIT_SLOPE) return Number.POSITIVE_INFINITY;
  if (slope <= 0) return 0;
  return -1 / Math.log(slope);
}

/**
 * Mean-field signal propagation at one point (Poole et al. 2016; Schoenholz et al. 2017): the
 * fixed points of the length and correlation maps, chi_1, the depth scales and the phase.
 */
export function meanField(
  activation: ActivationLike,
  params: MeanFieldParams,
  options: MeanFieldOptions = {},
): MeanFieldPoint {
  checkParams(params);
  const tolerance = options.criticalTolerance ?? CRITICAL_TOLERANCE;
  if (!(Number.isFinite(tolerance) && tolerance >= 0)) {
    throw invalidArgument('criticalTolerance', tolerance, 'a finite number >= 0');
  }
  const act = activationFunctions(activation);
  const m = moments(act);
  const { sw2, sb2 } = params;
  const notes: string[] = [];
  const length = lengthFixedPoint(act, params, options.q0);
  const { qStar } = length;
  let xiQ: number;
  const chi1 = chi1At(act, sw2, length);
  if (length.fate === 'fixed-point') {
    xiQ = depthScale(sw2 * m.secondMomentSlope(qStar));
    if (qStar === 0) {
      notes.push(
        'q* = 0: with sb2 = 0 the signal fades to nothing with depth; chi_1, c*, xi_q and xi_c are the limits as q* -> 0+ (equivalently sb2 -> 0+).',
      );
    }
    if (qStar > ACCURATE_Q) {
      notes.push(
        `q* = ${qStar.toPrecision(4)} exceeds ${ACCURATE_Q}: past there the quadrature's error grows beyond 1e-6 (about 2e-6 at q = 100, 1e-3 at q = 1000).`,
      );
    }
  } else if (length.fate === 'marginal') {
    xiQ = Number.POSITIVE_INFINITY;
    notes.push(
      'Every length is a fixed point (sw2 E[phi(sqrt(q) z)^2] = q for every q, and sb2 = 0): each input keeps its length, so q* is not defined.',
    );
  } else {
    xiQ = Number.NaN;
    notes.push(
      'The length map has no finite fixed point: the signal grows without bound with depth (q* = Infinity), and chi_1 is its limit as q -> Infinity.',
    );
  }
  const phase: Phase =
    Math.abs(chi1 - 1) < tolerance || chi1 === 1 ? 'critical' : chi1 < 1 ? 'ordered' : 'chaotic';
  let cStar = 1;
  let chiC = chi1;
  if (chi1 > 1 + UNIT_SLOPE) {
    const fixed = correlationFixedPoint(act, params, length.fate === 'marginal' ? 1 : qStar);
    cStar = fixed.cStar;
    chiC = fixed.chiC;
    if (fixed.every) {
      notes.push(
        'Every correlation is a fixed point: the map c -> C(c) is the identity, so c* is not defined.',
      );
    } else if (length.fate !== 'fixed-point' && cStar === 1) {
      notes.push(
        'Correlations approach c* = 1 more slowly than any exponential (the slope of the correlation map at 1 is 1), so xi_c is unbounded although chi_1 > 1.',
      );
    }
  }
  const xiC = phase === 'critical' ? Number.POSITIVE_INFINITY : depthScale(chiC);
  if (phase === 'critical') {
    notes.push(
      `|chi_1 - 1| < ${tolerance}: on the critical line (the order-to-chaos transition), where xi_c diverges.`,
    );
  }
  return {
    activation: act.name,
    sw2,
    sb2,
    qStar,
    lengthFate: length.fate,
    chi1,
    cStar,
    chiC,
    xiQ,
    xiC,
    phase,
    trainableDepth: 6 * xiC,
    notes,
  };
}

/**
 * E||dL/dh^l||^2 / E||dL/dh^(l+depth)||^2 = chi_1^depth for layers of equal width at the fixed
 * point (Schoenholz et al. 2017): below 1 the gradient vanishes towards the input, above
 * 1 it explodes.
 */
export function predictedGradientRatio(point: Pick<MeanFieldPoint, 'chi1'>, depth: number): number {
  if (!Number.isInteger(depth) || depth < 0) {
    throw invalidArgument('depth', depth, 'an integer >= 0 (a number of layers)');
  }
  if (!(typeof point?.chi1 === 'number' && point.chi1 >= 0)) {
    throw invalidArgument('point.chi1', point?.chi1, 'a number >= 0 (from meanField)');
  }
  return point.chi1 ** depth;
}
