import { describe, expect, test } from 'vitest';
import { matrix } from '../linalg.js';
import { gradientDescent } from './gradient-descent.js';
import { heavyBall } from './momentum.js';
import { quadratic } from './quadratic.js';
import { rosenbrock } from './rosenbrock.js';
import { distance } from './vector.js';

describe('heavyBall (Polyak momentum)', () => {
  test('with momentum 0 it is gradient descent, iterate for iterate', () => {
    const f = rosenbrock();
    const stop = { tolerance: 1e-3, maxIterations: 500 };
    const gd = gradientDescent(f, [-1.2, 1], { step: 1e-3 }, stop);
    const hb = heavyBall(f, [-1.2, 1], { step: 1e-3, momentum: 0 }, stop);
    expect(hb.path.map((x) => [...x])).toEqual(gd.path.map((x) => [...x]));
  });

  test("with Polyak's parameters it converges at rate (sqrt(k) - 1) / (sqrt(k) + 1) on a quadratic of condition k", () => {
    const mu = 1;
    const L = 100;
    const q = quadratic(matrix(2, 2, [mu, 0, 0, L]), [0, 0]);
    const step = 4 / (Math.sqrt(L) + Math.sqrt(mu)) ** 2;
    const momentum = ((Math.sqrt(L) - Math.sqrt(mu)) / (Math.sqrt(L) + Math.sqrt(mu))) ** 2;
    const r = heavyBall(q, [1, 1], { step, momentum }, { tolerance: 1e-12, maxIterations: 10_000 });
    const errors = r.path.map((x) => distance(x, [0, 0]));
    // The iteration matrix has a double eigenvalue at the rate: the error is ~ k rate^k, so
    // measure the geometric mean of e_k / k over a late window.
    const k0 = 40;
    const k1 = 100;
    const measured =
      ((errors[k1] as number) / k1 / ((errors[k0] as number) / k0)) ** (1 / (k1 - k0));
    const rate = (Math.sqrt(L / mu) - 1) / (Math.sqrt(L / mu) + 1);
    expect(Math.abs(measured - rate) / rate).toBeLessThan(0.005);
    // Gradient descent at its best step 2/(mu + L) contracts by (k - 1)/(k + 1) = 0.98 instead of 0.82.
    const gd = gradientDescent(
      q,
      [1, 1],
      { step: 2 / (mu + L) },
      { tolerance: 1e-12, maxIterations: 10_000 },
    );
    expect((gd.iterations as number) / (r.iterations as number)).toBeGreaterThan(5);
  });

  test('rejects a momentum outside [0, 1)', () => {
    expect(() =>
      heavyBall(
        rosenbrock(),
        [0, 0],
        { step: 1e-3, momentum: 1 },
        { tolerance: 1, maxIterations: 1 },
      ),
    ).toThrow(/momentum is 1; expected a number in \[0, 1\)/);
  });
});
