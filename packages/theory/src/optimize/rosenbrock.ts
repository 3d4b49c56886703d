import { invalidArgument } from '../invalid-argument.js';
import { matrix } from '../linalg.js';
import type { Objective } from './objective.js';

export interface RosenbrockParameters {
  /** The minimiser is (a, a^2). Default 1. */
  readonly a?: number;
  /** The steepness of the valley's walls; the classic 100 makes the valley long and narrow. */
  readonly b?: number;
}

/**
 * Rosenbrock's (1960) banana function f(x, y) = (a - x)^2 + b (y - x^2)^2, with its gradient and
 * Hessian. Its minimum (a, a^2) lies at the bottom of a curved valley whose floor is nearly
 * flat while its walls are steep (Hessian condition number ~2,500 at the minimum for b = 100):
 * first-order methods zigzag across it, second-order methods follow it.
 */
export function rosenbrock(parameters: RosenbrockParameters = {}): Objective {
  const a = parameters.a ?? 1;
  const b = parameters.b ?? 100;
  if (!Number.isFinite(a)) throw invalidArgument('a', a, 'a finite number');
  if (!(b > 0) || !Number.isFinite(b)) throw invalidArgument('b', b, 'a finite number > 0');
  return {
    name: `rosenbrock(a=${a}, b=${b})`,
    dimension: 2,
    minimum: Float64Array.of(a, a * a),
    value: (p) => {
      const x = p[0] as number;
      const y = p[1] as number;
      return (a - x) ** 2 + b * (y - x * x) ** 2;
    },
    gradient: (p) => {
      const x = p[0] as number;
      const y = p[1] as number;
      const valley = y - x * x;
      return Float64Array.of(-2 * (a - x) - 4 * b * x * valley, 2 * b * valley);
    },
    hessian: (p) => {
      const x = p[0] as number;
      const y = p[1] as number;
      const xy = -4 * b * x;
      return matrix(2, 2, [2 - 4 * b * (y - x * x) + 8 * b * x * x, xy, xy, 2 * b]);
    },
  };
}
