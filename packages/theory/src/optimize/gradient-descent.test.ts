import { describe, expect, test } from 'vitest';
import { gradientDescent } from './gradient-descent.js';
import { ellipse } from './test-problems.js';
import { distance } from './vector.js';

describe('gradientDescent', () => {
  test('on a quadratic with step 1/L the error shrinks by exactly 1 - mu/L per iteration', () => {
    const q = ellipse(); // mu = 1, L = 10
    const minimum = q.minimum as Float64Array;
    const start = [5, 3];
    const tolerance = 1e-6;
    const r = gradientDescent(q, start, { step: 1 / 10 }, { tolerance, maxIterations: 10_000 });
    // Step 1/L removes the stiff (L) component in one iteration; the rest shrinks by 0.9.
    const errors = r.path.map((x) => distance(x, minimum));
    for (let k = 2; k < errors.length; k++) {
      expect((errors[k] as number) / (errors[k - 1] as number)).toBeCloseTo(0.9, 8);
    }
    const e1 = errors[1] as number;
    expect(r.iterations).toBe(1 + Math.ceil(Math.log(tolerance / e1) / Math.log(0.9)));
    expect(r.stopReason).toBe('reached-target');
    expect(r.evaluations.gradient).toBe(r.iterations);
  });

  test('a step above 2/L diverges; a budget too small never reaches the target', () => {
    const q = ellipse();
    const diverged = gradientDescent(
      q,
      [5, 3],
      { step: 0.21 },
      { tolerance: 1e-6, maxIterations: 10_000 },
    );
    expect(diverged.stopReason).toBe('diverged');
    expect(diverged.iterations).toBeNull();
    const short = gradientDescent(q, [5, 3], { step: 0.1 }, { tolerance: 1e-6, maxIterations: 20 });
    expect(short.stopReason).toBe('max-iterations');
    expect(short.iterations).toBeNull();
    expect(short.path).toHaveLength(21);
  });

  test('a start within the tolerance takes no iteration; bad options are rejected', () => {
    const q = ellipse();
    expect(
      gradientDescent(q, [1, -2], { step: 0.1 }, { tolerance: 1e-6, maxIterations: 5 }).iterations,
    ).toBe(0);
    expect(() =>
      gradientDescent(q, [0, 0], { step: 0 }, { tolerance: 1, maxIterations: 1 }),
    ).toThrow(/step is 0/);
    expect(() => gradientDescent(q, [0], { step: 1 }, { tolerance: 1, maxIterations: 1 })).toThrow(
      /start.length is 1/,
    );
    expect(() =>
      gradientDescent(q, [0, 0], { step: 1 }, { tolerance: 0, maxIterations: 1 }),
    ).toThrow(/stop.tolerance is 0/);
  });
});
