export {
  type ConjugacyRule,
  type ConjugateGradientOptions,
  conjugateGradient,
} from './conjugate-gradient.js';
export { gradientDescent } from './gradient-descent.js';
export {
  iterate,
  type OptimizationResult,
  type Stepper,
  type StopReason,
  type StopRule,
} from './iterate.js';
export {
  type BacktrackingOptions,
  backtrackingLineSearch,
  type LineSearchResult,
  strongWolfeLineSearch,
  type WolfeOptions,
} from './line-search.js';
export { heavyBall, type MomentumOptions } from './momentum.js';
export { type NewtonOptions, newton } from './newton.js';
export { countEvaluations, type EvaluationCounts, type Objective } from './objective.js';
export { quadratic } from './quadratic.js';
export { type RosenbrockParameters, rosenbrock } from './rosenbrock.js';
