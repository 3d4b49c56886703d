import type { Matrix } from '../linalg.js';

/** A smooth function of n variables, with what the optimisers need of it. */
export interface Objective {
  readonly name: string;
  readonly dimension: number;
  value(x: Float64Array): number;
  gradient(x: Float64Array): Float64Array;
  /** Second derivatives, for Newton's method. */
  hessian?(x: Float64Array): Matrix;
  /** The minimiser, where it is known in closed form. */
  readonly minimum?: Float64Array;
}

/** How many times an optimiser asked for each quantity: the cost of a run, beyond its iterations. */
export interface EvaluationCounts {
  value: number;
  gradient: number;
  hessian: number;
}

/** The objective with every evaluation counted into `counts`. */
export function countEvaluations(objective: Objective, counts: EvaluationCounts): Objective {
  const hessian = objective.hessian;
  return {
    ...objective,
    value: (x) => {
      counts.value++;
      return objective.value(x);
    },
    gradient: (x) => {
      counts.gradient++;
      return objective.gradient(x);
    },
    ...(hessian
      ? {
          hessian: (x: Float64Array) => {
            counts.hessian++;
            return hessian.call(objective, x);
          },
        }
      : {}),
  };
}
