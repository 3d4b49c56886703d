import { invalidArgument } from '../invalid-argument.js';
import { type Matrix, matMul, matrix, solve } from '../linalg.js';
import type { Objective } from './objective.js';

/**
 * f(x) = 1/2 x^T A x - b^T x for a symmetric positive-definite A: the model problem on which
 * the convergence rates of gradient descent and conjugate gradients are exact theorems.
 */
export function quadratic(a: Matrix, b: ArrayLike<number>): Objective {
  const n = a.rows;
  if (a.cols !== n) throw invalidArgument('a', `${a.rows}x${a.cols}`, 'a square matrix');
  if (b.length !== n) throw invalidArgument('b.length', b.length, `${n}, the size of a`);
  const bv = Float64Array.from(b);
  const ax = (x: Float64Array) => matMul(a, matrix(n, 1, x)).data;
  return {
    name: `quadratic(n=${n})`,
    dimension: n,
    minimum: solve(a, bv),
    value: (x) => {
      const v = ax(x);
      let s = 0;
      for (let i = 0; i < n; i++)
        s += (x[i] as number) * (0.5 * (v[i] as number) - (bv[i] as number));
      return s;
    },
    gradient: (x) => ax(x).map((v, i) => v - (bv[i] as number)),
    hessian: () => matrix(n, n, a.data),
  };
}
