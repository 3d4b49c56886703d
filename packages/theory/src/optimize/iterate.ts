import { invalidArgument } from '../invalid-argument.js';
import { countEvaluations, type EvaluationCounts, type Objective } from './objective.js';
import { distance, norm } from './vector.js';

/** When an optimiser stops: at the target, or when its budget runs out. */
export interface StopRule {
  /** The point to reach (the known minimiser); defaults to the objective's `minimum`. */
  readonly target?: ArrayLike<number>;
  /** Reached when ||x_k - target|| < tolerance. */
  readonly tolerance: number;
  /** The budget: iterations (one update of x each) before giving up. */
  readonly maxIterations: number;
}

export type StopReason =
  | 'reached-target'
  | 'max-iterations'
  /** x or f(x) became infinite or NaN, or f grew past 1e100. */
  | 'diverged'
  /** The method could not produce a next point (a line search found no acceptable step). */
  | 'stalled';

export interface OptimizationResult {
  readonly method: string;
  /** x_0 (the start), x_1, ... up to the last iterate. */
  readonly path: readonly Float64Array[];
  /** The first k with ||x_k - target|| < tolerance, or null when it was never reached. */
  readonly iterations: number | null;
  readonly stopReason: StopReason;
  readonly final: Float64Array;
  readonly finalValue: number;
  readonly finalDistance: number;
  readonly evaluations: Readonly<EvaluationCounts>;
}

/**
 * One optimiser as a state machine: `next` takes the current point and returns the next one,
 * or null when it cannot go on. It sees the objective through the counting wrapper.
 */
export type Stepper = (x: Float64Array, k: number) => Float64Array | null;

/** Runs a stepper from x0 until the stop rule says so, recording the whole path. */
export function iterate(
  method: string,
  objective: Objective,
  x0: ArrayLike<number>,
  stop: StopRule,
  makeStepper: (counted: Objective) => Stepper,
): OptimizationResult {
  if (x0.length !== objective.dimension) {
    throw invalidArgument(
      'start.length',
      x0.length,
      `${objective.dimension}, the objective's dimension`,
    );
  }
  const target = stop.target ?? objective.minimum;
  if (!target) {
    throw invalidArgument(
      'stop.target',
      undefined,
      `a point: ${objective.name} has no known minimum`,
    );
  }
  if (!(stop.tolerance > 0))
    throw invalidArgument('stop.tolerance', stop.tolerance, 'a number > 0');
  if (!Number.isInteger(stop.maxIterations) || stop.maxIterations < 0) {
    throw invalidArgument('stop.maxIterations', stop.maxIterations, 'an integer >= 0');
  }
  const evaluations: EvaluationCounts = { value: 0, gradient: 0, hessian: 0 };
  const next = makeStepper(countEvaluations(objective, evaluations));
  let x: Float64Array = Float64Array.from(x0);
  const path: Float64Array[] = [x];
  let stopReason: StopReason = 'max-iterations';
  let iterations: number | null = null;
  for (let k = 0; ; k++) {
    if (distance(x, target) < stop.tolerance) {
      iterations = k;
      stopReason = 'reached-target';
      break;
    }
    if (k >= stop.maxIterations) break;
    const candidate = next(x, k);
    if (candidate === null) {
      stopReason = 'stalled';
      break;
    }
    x = candidate;
    path.push(x);
    if (!Number.isFinite(norm(x)) || !(Math.abs(objective.value(x)) < 1e100)) {
      stopReason = 'diverged';
      break;
    }
  }
  return {
    method,
    path,
    iterations,
    stopReason,
    final: x,
    finalValue: objective.value(x),
    finalDistance: distance(x, target),
    evaluations: { ...evaluations },
  };
}
