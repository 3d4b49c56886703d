import { invalidArgument } from '../invalid-argument.js';
import { identity, solve } from '../linalg.js';
import { iterate, type OptimizationResult, type StopRule } from './iterate.js';
import { backtrackingLineSearch } from './line-search.js';
import type { Objective } from './objective.js';
import { dot, scale, step } from './vector.js';

export interface NewtonOptions {
  /**
   * 'backtracking' (default): Armijo backtracking from the full step (Nocedal & Wright 2006,
   * Algorithm 3.1), which makes Newton's method converge from far away; 'none': pure Newton,
   * always the full step.
   */
  readonly lineSearch?: 'backtracking' | 'none';
  /**
   * 'exact' (default): the objective's Hessian. 'identity': the Hessian replaced by I, which
   * turns the method into gradient descent (with the same line search): the counterfactual
   * that shows what the curvature information buys.
   */
  readonly hessian?: 'exact' | 'identity';
}

/**
 * Newton's method: solve H(x) d = -grad f(x) and step along d. Near a minimum with a positive
 * definite Hessian it converges quadratically (the error squares each iteration). Where the
 * Hessian is not positive definite and d is not a descent direction, the step falls back to
 * steepest descent, -grad f(x).
 */
export function newton(
  objective: Objective,
  start: ArrayLike<number>,
  options: NewtonOptions,
  stop: StopRule,
): OptimizationResult {
  const lineSearch = options.lineSearch ?? 'backtracking';
  const hessianKind = options.hessian ?? 'exact';
  if (lineSearch !== 'backtracking' && lineSearch !== 'none') {
    throw invalidArgument('lineSearch', lineSearch, "'backtracking' or 'none'");
  }
  if (hessianKind !== 'exact' && hessianKind !== 'identity') {
    throw invalidArgument('hessian', hessianKind, "'exact' or 'identity'");
  }
  if (hessianKind === 'exact' && !objective.hessian) {
    throw invalidArgument(
      'hessian',
      'exact',
      `an objective with a Hessian (${objective.name} has none)`,
    );
  }
  const method = hessianKind === 'exact' ? "Newton's method" : 'Newton with H = I';
  return iterate(method, objective, start, stop, (f) => (x) => {
    const g = f.gradient(x);
    const h =
      hessianKind === 'exact'
        ? (f.hessian as NonNullable<Objective['hessian']>)(x)
        : identity(x.length);
    let d: Float64Array;
    try {
      d = scale(solve(h, g), -1);
    } catch {
      d = scale(g, -1); // a singular Hessian has no Newton step
    }
    if (!(dot(d, g) < 0)) d = scale(g, -1);
    if (lineSearch === 'none') return step(x, 1, d);
    return backtrackingLineSearch(f, x, d, {}, f.value(x), g)?.point ?? null;
  });
}
