import { describe, expect, test } from 'vitest';
import { TheoryArgumentError } from '../invalid-argument.js';
import { symmetricEigen } from '../linalg.js';
import { rosenbrock } from './rosenbrock.js';

const h = 1e-6;

describe('rosenbrock', () => {
  test('value at the classic start and zero value and gradient at the minimum (a, a^2)', () => {
    const f = rosenbrock();
    expect(f.value(Float64Array.of(-1.2, 1))).toBeCloseTo(24.2, 12);
    const g = rosenbrock({ a: 2, b: 10 });
    expect([...(g.minimum as Float64Array)]).toEqual([2, 4]);
    expect(g.value(Float64Array.of(2, 4))).toBe(0);
    expect([...g.gradient(Float64Array.of(2, 4))].map(Math.abs)).toEqual([0, 0]);
  });

  test.each([
    [-1.2, 1],
    [0.3, -0.7],
    [1.5, 2.1],
  ])('gradient and Hessian at (%f, %f) agree with central differences', (x, y) => {
    const f = rosenbrock();
    const p = Float64Array.of(x, y);
    const g = f.gradient(p);
    const hess = (f.hessian as NonNullable<typeof f.hessian>)(p);
    for (let i = 0; i < 2; i++) {
      const plus = Float64Array.from(p);
      const minus = Float64Array.from(p);
      plus[i] = (plus[i] as number) + h;
      minus[i] = (minus[i] as number) - h;
      const numeric = (f.value(plus) - f.value(minus)) / (2 * h);
      expect(Math.abs(numeric - (g[i] as number))).toBeLessThan(1e-5 * (1 + Math.abs(numeric)));
      const gp = f.gradient(plus);
      const gm = f.gradient(minus);
      for (let j = 0; j < 2; j++) {
        const second = ((gp[j] as number) - (gm[j] as number)) / (2 * h);
        expect(Math.abs(second - (hess.data[j * 2 + i] as number))).toBeLessThan(
          1e-5 * (1 + Math.abs(second)),
        );
      }
    }
  });

  test('the valley is ill-conditioned at the minimum: Hessian condition number ~2,508 for b = 100', () => {
    const f = rosenbrock();
    const { values } = symmetricEigen(
      (f.hessian as NonNullable<typeof f.hessian>)(Float64Array.of(1, 1)),
    );
    const condition = (values[0] as number) / (values[1] as number);
    expect(condition).toBeGreaterThan(2500);
    expect(condition).toBeLessThan(2520);
  });

  test('rejects a non-positive b', () => {
    expect(() => rosenbrock({ b: 0 })).toThrow(TheoryArgumentError);
    expect(() => rosenbrock({ b: -1 })).toThrow(/b is -1; expected a finite number > 0/);
  });
});
