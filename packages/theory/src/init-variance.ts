import { type ActivationLike, activationFunctions } from './activations.js';
import { invalidArgument } from './invalid-argument.js';
import { moments } from './mean-field/moments.js';

function checkFan(field: string, fan: number): void {
  if (!Number.isInteger(fan) || fan < 1) throw invalidArgument(field, fan, 'a positive integer');
}
function checkSlope(a: number): void {
  if (!(Number.isFinite(a) && a >= 0 && a <= 1)) {
    throw invalidArgument(
      'negativeSlope',
      a,
      'a number from 0 to 1 (the slope of leaky ReLU / PReLU below 0)',
    );
  }
}

/**
 * Glorot & Bengio (2010): in the linear regime, Var[W] = 1 / fanIn keeps the forward variance,
 * 1 / fanOut the backward one; their compromise is 2 / (fanIn + fanOut), drawn uniformly
 * from +-sqrt(6 / (fanIn + fanOut)).
 */
export interface GlorotVariances {
  readonly forward: number;
  readonly backward: number;
  readonly compromise: number;
  readonly uniformLimit: number;
}

export function glorotVariances(fanIn: number, fanOut: number): GlorotVariances {
  checkFan('fanIn', fanIn);
  checkFan('fanOut', fanOut);
  return {
    forward: 1 / fanIn,
    backward: 1 / fanOut,
    compromise: 2 / (fanIn + fanOut),
    uniformLimit: Math.sqrt(6 / (fanIn + fanOut)),
  };
}

/** Glorot & Bengio's compromise variance 2 / (fanIn + fanOut) ('xavier-normal' and 'xavier-uniform'). */
export function glorotVariance(fanIn: number, fanOut: number): number {
  return glorotVariances(fanIn, fanOut).compromise;
}

/**
 * He et al. (2015): 2 / fanIn for ReLU, 2 / ((1 + a^2) fanIn) for a leaky ReLU or PReLU
 * of negative slope a, which keeps E[h^2] constant through the layers.
 */
export function heVariance(fanIn: number, negativeSlope = 0): number {
  checkFan('fanIn', fanIn);
  checkSlope(negativeSlope);
  return 2 / ((1 + negativeSlope ** 2) * fanIn);
}

/** LeCun et al. (1998), "Efficient BackProp": Var[W] = 1 / fanIn. */
export function lecunVariance(fanIn: number): number {
  checkFan('fanIn', fanIn);
  return 1 / fanIn;
}

/** The limit L of a uniform draw U(-L, L) with variance v: L = sqrt(3 v). */
export function uniformLimit(variance: number): number {
  if (!(Number.isFinite(variance) && variance >= 0)) {
    throw invalidArgument('variance', variance, 'a finite number >= 0');
  }
  return Math.sqrt(3 * variance);
}

/** gradlab's random initialisers (spec names), and a normal or uniform of given size. */
export type InitLike =
  | 'xavier-normal'
  | 'xavier-uniform'
  | 'he-normal'
  | 'he-uniform'
  | 'lecun-normal'
  | 'lecun-uniform'
  | 'orthogonal'
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'uniform'; readonly limit: number };

/**
 * The variance of one weight under an initialiser of a fanIn x fanOut kernel, as gradlab's
 * initKernel draws it (negativeSlope enters He's variance for leaky-relu and prelu layers). An
 * orthogonal kernel has unit-norm columns (fanIn >= fanOut) or rows: 1 / max(fanIn, fanOut).
 */
export function initVariance(
  init: InitLike,
  fanIn: number,
  fanOut: number,
  negativeSlope = 0,
): number {
  checkFan('fanIn', fanIn);
  checkFan('fanOut', fanOut);
  if (typeof init === 'object' && init !== null) {
    if (init.kind === 'normal' && Number.isFinite(init.std) && init.std >= 0) return init.std ** 2;
    if (init.kind === 'uniform' && Number.isFinite(init.limit) && init.limit >= 0)
      return init.limit ** 2 / 3;
    throw invalidArgument(
      'init',
      init,
      '{ kind: "normal", std >= 0 } or { kind: "uniform", limit >= 0 }',
    );
  }
  switch (init) {
    case 'xavier-normal':
    case 'xavier-uniform':
      return glorotVariance(fanIn, fanOut);
    case 'he-normal':
    case 'he-uniform':
      return heVariance(fanIn, negativeSlope);
    case 'lecun-normal':
    case 'lecun-uniform':
      return lecunVariance(fanIn);
    case 'orthogonal':
      return 1 / Math.max(fanIn, fanOut);
    default:
      throw invalidArgument(
        'init',
        init,
        'xavier-normal, xavier-uniform, he-normal, he-uniform, lecun-normal, lecun-uniform, orthogonal, { kind: "normal", std } or { kind: "uniform", limit }',
      );
  }
}

export interface VarianceGainOptions {
  readonly fanIn: number;
  readonly fanOut: number;
  /** Second moment q of the layer's input pre-activations; default 1. */
  readonly q?: number;
  /** Bias variance sb2; default 0. */
  readonly sb2?: number;
  /** For 'he-*' initialisers: the activation's negative slope; default 0. */
  readonly negativeSlope?: number;
}

/**
 * Per-unit second-moment gains of one layer h' = W phi(h) + b with weights from `init`:
 * - forward: E[h'^2] / E[h^2] = (fanIn Var[W] E[phi(h)^2] + sb2) / q for h ~ N(0, q);
 * - backward: E[(dL/dh)^2] / E[(dL/dh')^2] = fanOut Var[W] E[phi'(h)^2], the gradient's gain
 *   going back through the layer (chi_1 when fanIn = fanOut and q = q*).
 * Both 1 is the condition Glorot & Bengio (2010) and He et al. (2015) derive their variances from.
 */
export interface VarianceGain {
  readonly weightVariance: number;
  readonly forward: number;
  readonly backward: number;
}

export function varianceGain(
  activation: ActivationLike,
  init: InitLike,
  options: VarianceGainOptions,
): VarianceGain {
  const {
    fanIn,
    fanOut,
    q = 1,
    sb2 = 0,
    negativeSlope = 0,
  } = options ?? ({} as VarianceGainOptions);
  const weightVariance = initVariance(init, fanIn, fanOut, negativeSlope);
  if (!(Number.isFinite(q) && q > 0)) throw invalidArgument('q', q, 'a finite number > 0');
  if (!(Number.isFinite(sb2) && sb2 >= 0))
    throw invalidArgument('sb2', sb2, 'a finite number >= 0');
  const m = moments(activationFunctions(activation));
  return {
    weightVariance,
    forward: (fanIn * weightVariance * m.secondMoment(q) + sb2) / q,
    backward: fanOut * weightVariance * m.slopeSecondMoment(q),
  };
}
