/**
 * @gradlab/theory: what signal-propagation theory predicts for a deep network, in plain
 * TypeScript numerics (no tfjs), so it runs anywhere and checks measurements made on any backend.
 */

export {
  type ActivationFunctions,
  type ActivationLike,
  type ActivationName,
  activationFunctions,
  activationNames,
  type ClosedForms,
  DEFAULT_LEAKY_SLOPE,
  DEFAULT_PRELU_SLOPE,
  leakyRelu,
  SELU_ALPHA,
  SELU_SCALE,
} from './activations.js';
export {
  type DeepLinearMoments,
  type DeepLinearOptions,
  deepLinearJacobianMoments,
} from './deep-linear.js';
export {
  type GlorotVariances,
  glorotVariance,
  glorotVariances,
  heVariance,
  type InitLike,
  initVariance,
  lecunVariance,
  uniformLimit,
  type VarianceGain,
  type VarianceGainOptions,
  varianceGain,
} from './init-variance.js';
export { invalidArgument, TheoryArgumentError } from './invalid-argument.js';
export * from './linalg.js';
export {
  type CorrelationFixedPoint,
  correlationFixedPoint,
  correlationMap,
  correlationMapSlope,
} from './mean-field/correlation.js';
export {
  CRITICAL_SEARCH,
  type CriticalLineOptions,
  criticalSw2,
} from './mean-field/critical-line.js';
export {
  type LengthFate,
  type LengthFixedPoint,
  lengthFixedPoint,
  lengthMap,
  lengthMapSlope,
} from './mean-field/length.js';
export {
  ACCURATE_Q,
  CRITICAL_TOLERANCE,
  type MeanFieldOptions,
  type MeanFieldPoint,
  meanField,
  type Phase,
  predictedGradientRatio,
} from './mean-field/mean-field.js';
export type { MeanFieldParams } from './mean-field/params.js';
export * from './optimize/index.js';
export type { QuadratureRule } from './quadrature/gauss-rule.js';
export {
  type BivariateOptions,
  bivariateGaussianExpectation,
  DEFAULT_ANGULAR_NODES,
  DEFAULT_NODES,
  DEFAULT_RADIAL_NODES,
  gaussHermiteExpectation,
  gaussianExpectation,
} from './quadrature/gaussian-expectation.js';
export {
  gaussHermiteRule,
  halfRangeGaussianRule,
  radialGaussianRule,
} from './quadrature/gaussian-rules.js';
export { erf, erfc, normalCdf, normalPdf } from './special-functions.js';
