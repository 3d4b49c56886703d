import { describe, expect, test } from 'vitest';
import { newton } from './newton.js';
import { rosenbrock } from './rosenbrock.js';
import { tiltedQuadratic } from './test-problems.js';
import { distance } from './vector.js';

describe('newton', () => {
  test('minimises a quadratic in one step', () => {
    const q = tiltedQuadratic();
    const r = newton(q, [10, -7], {}, { tolerance: 1e-12, maxIterations: 5 });
    expect(r.iterations).toBe(1);
  });

  test('converges quadratically near the Rosenbrock minimum: each error is at most C times the previous squared', () => {
    const f = rosenbrock();
    const r = newton(
      f,
      [1.2, 1.3],
      { lineSearch: 'none' },
      { tolerance: 1e-14, maxIterations: 20 },
    );
    expect(r.stopReason).toBe('reached-target');
    const errors = r.path.map((x) => distance(x, [1, 1]));
    const ratios: number[] = [];
    for (let k = 1; k < errors.length; k++) {
      const previous = errors[k - 1] as number;
      if (previous < 1e-7) break; // below this the next error is rounding, not the method
      ratios.push((errors[k] as number) / previous ** 2);
    }
    expect(ratios.length).toBeGreaterThanOrEqual(3);
    // Quadratic: e_{k+1} / e_k^2 stays bounded while e_k falls by orders of magnitude
    // (linear convergence would make the ratio grow like 1/e_k).
    for (const ratio of ratios) expect(ratio).toBeLessThan(50);
    const lastTwo = errors.slice(-3, -1) as [number, number];
    expect(lastTwo[1]).toBeLessThan(lastTwo[0] ** 1.8);
  });

  test('from the classic start (-1.2, 1): a handful of iterations; with H = I it is gradient descent and needs thousands', () => {
    const f = rosenbrock();
    const stop = { tolerance: 1e-4, maxIterations: 20_000 };
    const pure = newton(f, [-1.2, 1], { lineSearch: 'none' }, stop);
    const damped = newton(f, [-1.2, 1], {}, stop);
    const identity = newton(f, [-1.2, 1], { hessian: 'identity' }, stop);
    expect(pure.iterations).toBeLessThanOrEqual(10);
    expect(damped.iterations).toBeLessThanOrEqual(30);
    expect(damped.evaluations.hessian).toBe(damped.iterations);
    expect(identity.evaluations.hessian).toBe(0);
    expect(identity.iterations ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1000);
  });

  test('rejects an unknown option and an objective without a Hessian', () => {
    const f = rosenbrock();
    const { hessian: _, ...noHessian } = f;
    expect(() => newton(noHessian, [0, 0], {}, { tolerance: 1, maxIterations: 1 })).toThrow(
      /has none/,
    );
    expect(() =>
      newton(f, [0, 0], { lineSearch: 'wolfe' as 'none' }, { tolerance: 1, maxIterations: 1 }),
    ).toThrow(/lineSearch is wolfe/);
  });
});
