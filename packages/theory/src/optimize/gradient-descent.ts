import { invalidArgument } from '../invalid-argument.js';
import { iterate, type OptimizationResult, type StopRule } from './iterate.js';
import type { Objective } from './objective.js';
import { step } from './vector.js';

/**
 * Gradient descent with a fixed step: x <- x - step * grad f(x). On a quadratic with Hessian
 * eigenvalues in [mu, L] and step 1/L, the error along the eigenvector of mu shrinks by exactly
 * 1 - mu/L per iteration: an ill-conditioned valley (L/mu in the thousands) takes thousands.
 */
export function gradientDescent(
  objective: Objective,
  start: ArrayLike<number>,
  options: { readonly step: number },
  stop: StopRule,
): OptimizationResult {
  const alpha = options.step;
  if (!(alpha > 0) || !Number.isFinite(alpha)) {
    throw invalidArgument('step', alpha, 'a finite number > 0');
  }
  return iterate(
    'gradient descent',
    objective,
    start,
    stop,
    (f) => (x) => step(x, -alpha, f.gradient(x)),
  );
}
