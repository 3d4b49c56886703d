import { invalidArgument } from '../invalid-argument.js';
import { iterate, type OptimizationResult, type StopRule } from './iterate.js';
import type { Objective } from './objective.js';

export interface MomentumOptions {
  readonly step: number;
  /** The weight of the previous displacement, in [0, 1); 0 is plain gradient descent. */
  readonly momentum: number;
}

/**
 * Polyak's (1964) heavy-ball method: x_{k+1} = x_k - step grad f(x_k) + momentum (x_k - x_{k-1}).
 * The remembered displacement builds speed along a valley's gently sloping floor, where
 * successive gradients agree, and cancels across its walls, where they alternate.
 */
export function heavyBall(
  objective: Objective,
  start: ArrayLike<number>,
  options: MomentumOptions,
  stop: StopRule,
): OptimizationResult {
  const { step: alpha, momentum: beta } = options;
  if (!(alpha > 0) || !Number.isFinite(alpha)) {
    throw invalidArgument('step', alpha, 'a finite number > 0');
  }
  if (!(beta >= 0 && beta < 1)) throw invalidArgument('momentum', beta, 'a number in [0, 1)');
  return iterate('momentum', objective, start, stop, (f) => {
    let previous: Float64Array | null = null;
    return (x) => {
      const g = f.gradient(x);
      const next = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const velocity = previous ? (x[i] as number) - (previous[i] as number) : 0;
        next[i] = (x[i] as number) - alpha * (g[i] as number) + beta * velocity;
      }
      previous = x;
      return next;
    };
  });
}
