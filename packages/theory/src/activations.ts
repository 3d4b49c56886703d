import { invalidArgument } from './invalid-argument.js';
import { erf, normalCdf, normalPdf } from './special-functions.js';

/**
 * Exact Gaussian expectations of an activation, where they have a closed form. q is the
 * variance of the pre-activation, c the correlation of two pre-activations u1, u2 of variance q.
 */
export interface ClosedForms {
  /** E[phi(u)^2], u ~ N(0, q). */
  readonly secondMoment: (q: number) => number;
  /** E[phi'(u)^2]. */
  readonly slopeSecondMoment: (q: number) => number;
  /** d/dq E[phi(u)^2] = E[phi'(u)^2 + phi(u) phi''(u)]. */
  readonly secondMomentSlope: (q: number) => number;
  /** E[phi(u1) phi(u2)]. */
  readonly kernel: (q: number, c: number) => number;
  /** E[phi'(u1) phi'(u2)]. */
  readonly slopeKernel: (q: number, c: number) => number;
  /** phi(a x) = a phi(x) for every a > 0: every moment is linear in q and the length map is affine. */
  readonly homogeneous?: boolean;
}

/**
 * An activation as the theory sees it: the function, its derivative and, optionally, its second
 * derivative and closed forms. Without closed forms every expectation is taken by quadrature;
 * without d2phi the slope of the length map uses Stein's lemma, E[z g(z)] = E[g'(z)], instead.
 */
export interface ActivationFunctions {
  readonly name: string;
  readonly phi: (x: number) => number;
  readonly dphi: (x: number) => number;
  readonly d2phi?: (x: number) => number;
  readonly closedForms?: ClosedForms;
}

/** gradlab's activation names (those of experiment specs), and erf, whose moments are all closed forms. */
export const activationNames = [
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'leaky-relu',
  'prelu',
  'elu',
  'selu',
  'gelu',
  'erf',
] as const;
export type ActivationName = (typeof activationNames)[number];

export type ActivationLike = ActivationName | ActivationFunctions;

/** Slope of gradlab's leaky-relu (the spec's `leakyAlpha` default) and prelu's initial slope (`preluInit`, He et al. 2015). */
export const DEFAULT_LEAKY_SLOPE = 0.01;
export const DEFAULT_PRELU_SLOPE = 0.25;

/** SELU's constants (Klambauer et al. 2017), as in TensorFlow.js. */
export const SELU_SCALE = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

/** P(u1 > 0, u2 > 0) = (pi - acos c) / (2 pi), and E[relu(u1) relu(u2)] / q (Cho & Saul 2009, arc-cosine kernel of degree 1). */
function positiveQuadrant(c: number): number {
  return (Math.PI - Math.acos(clampCorrelation(c))) / (2 * Math.PI);
}
function arcCosine1(c: number): number {
  const k = clampCorrelation(c);
  return (Math.sqrt(1 - k * k) + (Math.PI - Math.acos(k)) * k) / (2 * Math.PI);
}
function clampCorrelation(c: number): number {
  return Math.min(1, Math.max(-1, c));
}

/**
 * phi(x) = x for x > 0 and a x below: ReLU (a = 0), leaky ReLU and PReLU at its initial slope,
 * and the identity (a = 1). With phi = a x + (1 - a) relu(x), every moment follows from the
 * arc-cosine kernels: E[u1 relu(u2)] = q c / 2 by the symmetry (u1, u2) -> (-u1, -u2).
 */
export function leakyRelu(negativeSlope: number, name = 'leaky-relu'): ActivationFunctions {
  if (!(Number.isFinite(negativeSlope) && negativeSlope >= 0 && negativeSlope <= 1)) {
    throw invalidArgument('negativeSlope', negativeSlope, 'a number from 0 to 1');
  }
  const a = negativeSlope;
  const gain = (1 + a * a) / 2;
  return {
    name,
    phi: (x) => (x > 0 ? x : a * x),
    dphi: (x) => (x > 0 ? 1 : a),
    d2phi: () => 0,
    closedForms: {
      homogeneous: true,
      secondMoment: (q) => gain * q,
      slopeSecondMoment: () => gain,
      secondMomentSlope: () => gain,
      kernel: (q, c) => q * ((a * a + a * (1 - a)) * c + (1 - a) ** 2 * arcCosine1(c)),
      slopeKernel: (_q, c) => a * a + a * (1 - a) + (1 - a) ** 2 * positiveQuadrant(c),
    },
  };
}

const relu = leakyRelu(0, 'relu');
const linear = leakyRelu(1, 'linear');

/**
 * erf with the moments of Williams (1997), "Computing with infinite networks":
 * E[erf(u1) erf(u2)] = 2/pi asin(2 q12 / sqrt((1 + 2 q11)(1 + 2 q22))), and
 * E[erf'(u1) erf'(u2)] = 4/pi det(I + 2 Sigma)^(-1/2).
 */
const erfActivation: ActivationFunctions = {
  name: 'erf',
  phi: erf,
  dphi: (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x),
  d2phi: (x) => (-4 * x * Math.exp(-x * x)) / Math.sqrt(Math.PI),
  closedForms: {
    secondMoment: (q) => (2 / Math.PI) * Math.asin((2 * q) / (1 + 2 * q)),
    slopeSecondMoment: (q) => 4 / Math.PI / Math.sqrt(1 + 4 * q),
    secondMomentSlope: (q) => 4 / Math.PI / ((1 + 2 * q) * Math.sqrt(1 + 4 * q)),
    kernel: (q, c) => (2 / Math.PI) * Math.asin((2 * q * clampCorrelation(c)) / (1 + 2 * q)),
    slopeKernel: (q, c) =>
      4 / Math.PI / Math.sqrt((1 + 2 * q) ** 2 - (2 * q * clampCorrelation(c)) ** 2),
  },
};

const tanh: ActivationFunctions = {
  name: 'tanh',
  phi: Math.tanh,
  dphi: (x) => {
    const t = Math.tanh(x);
    return 1 - t * t;
  },
  d2phi: (x) => {
    const t = Math.tanh(x);
    return -2 * t * (1 - t * t);
  },
};

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
const sigmoid: ActivationFunctions = {
  name: 'sigmoid',
  phi: logistic,
  dphi: (x) => {
    const s = logistic(x);
    return s * (1 - s);
  },
  d2phi: (x) => {
    const s = logistic(x);
    return s * (1 - s) * (1 - 2 * s);
  },
};

/** ELU with alpha = 1 (Clevert et al. 2016), as tfjs computes it. */
const elu: ActivationFunctions = {
  name: 'elu',
  phi: (x) => (x > 0 ? x : Math.expm1(x)),
  dphi: (x) => (x > 0 ? 1 : Math.exp(x)),
  d2phi: (x) => (x > 0 ? 0 : Math.exp(x)),
};

const selu: ActivationFunctions = {
  name: 'selu',
  phi: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  dphi: (x) => SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
  d2phi: (x) => (x > 0 ? 0 : SELU_SCALE * SELU_ALPHA * Math.exp(x)),
};

/** Exact GELU, x Phi(x) (Hendrycks & Gimpel 2016), as gradlab's models compute it. */
const gelu: ActivationFunctions = {
  name: 'gelu',
  phi: (x) => x * normalCdf(x),
  dphi: (x) => normalCdf(x) + x * normalPdf(x),
  d2phi: (x) => (2 - x * x) * normalPdf(x),
};

const builtIn: Record<ActivationName, ActivationFunctions> = {
  linear,
  sigmoid,
  tanh,
  relu,
  'leaky-relu': leakyRelu(DEFAULT_LEAKY_SLOPE),
  prelu: leakyRelu(DEFAULT_PRELU_SLOPE, 'prelu'),
  elu,
  selu,
  gelu,
  erf: erfActivation,
};

/** The activation's functions: a built-in by name, or a user's object after checking its shape. */
export function activationFunctions(activation: ActivationLike): ActivationFunctions {
  if (typeof activation === 'string') {
    const found = (builtIn as Record<string, ActivationFunctions | undefined>)[activation];
    if (!found) {
      throw invalidArgument(
        'activation',
        activation,
        `one of ${activationNames.join(', ')}, or an object { name, phi, dphi }`,
      );
    }
    return found;
  }
  if (activation === null || typeof activation !== 'object') {
    throw invalidArgument('activation', activation, 'a name or an object { name, phi, dphi }');
  }
  if (typeof activation.name !== 'string' || activation.name === '') {
    throw invalidArgument('activation.name', activation.name, 'a non-empty string');
  }
  for (const key of ['phi', 'dphi'] as const) {
    if (typeof activation[key] !== 'function') {
      throw invalidArgument(
        `activation.${key}`,
        typeof activation[key],
        'a function (x: number) => number',
      );
    }
  }
  if (activation.d2phi !== undefined && typeof activation.d2phi !== 'function') {
    throw invalidArgument('activation.d2phi', typeof activation.d2phi, 'a function, or nothing');
  }
  return activation;
}
