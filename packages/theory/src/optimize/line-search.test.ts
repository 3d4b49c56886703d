import { describe, expect, test } from 'vitest';
import { solve } from '../linalg.js';
import { backtrackingLineSearch, strongWolfeLineSearch } from './line-search.js';
import { rosenbrock } from './rosenbrock.js';
import { tiltedQuadratic } from './test-problems.js';
import { dot } from './vector.js';

const f = rosenbrock();
const points = [
  [-1.2, 1],
  [0, 0],
  [0.9, 0.5],
  [2, 2],
] as const;

function directions(x: Float64Array): Record<string, Float64Array> {
  const g = f.gradient(x);
  const h = (f.hessian as NonNullable<typeof f.hessian>)(x);
  return {
    'steepest descent': g.map((v) => -v),
    newton: solve(h, g).map((v) => -v),
  };
}

describe('strongWolfeLineSearch', () => {
  for (const [c1, c2] of [
    [1e-4, 0.9],
    [1e-4, 0.1],
    [0.3, 0.4],
  ] as const) {
    test.each(points)(
      `c1 = ${c1}, c2 = ${c2}, from (%f, %f): the step satisfies both strong Wolfe conditions`,
      (px, py) => {
        const x = Float64Array.of(px, py);
        const f0 = f.value(x);
        const g0 = f.gradient(x);
        for (const [name, d] of Object.entries(directions(x))) {
          const slope0 = dot(g0, d);
          if (!(slope0 < 0)) continue; // a Newton direction where the Hessian is indefinite
          const found = strongWolfeLineSearch(f, x, d, { c1, c2 });
          expect(found, name).not.toBeNull();
          if (!found) continue;
          expect(found.step).toBeGreaterThan(0);
          expect(found.value).toBeLessThanOrEqual(f0 + c1 * found.step * slope0);
          expect(Math.abs(dot(f.gradient(found.point), d))).toBeLessThanOrEqual(
            c2 * Math.abs(slope0),
          );
          expect(found.value).toBe(f.value(found.point));
          expect([...found.gradient]).toEqual([...f.gradient(found.point)]);
        }
      },
    );
  }

  test('with c2 near 0 it finds the exact minimiser along a line of a quadratic', () => {
    const q = tiltedQuadratic();
    const x = Float64Array.of(3, -1);
    const d = q.gradient(x).map((v) => -v);
    const found = strongWolfeLineSearch(q, x, d, { c1: 1e-11, c2: 1e-10, initialStep: 5 });
    // phi(a) = q(x + a d) is minimised at a* = (g^T g) / (g^T A g), A = [[4, 1], [1, 3]].
    const g = q.gradient(x);
    const ag = Float64Array.of(
      4 * (g[0] as number) + (g[1] as number),
      (g[0] as number) + 3 * (g[1] as number),
    );
    expect(found?.step).toBeCloseTo(dot(g, g) / dot(g, ag), 12);
  });

  test('an ascent direction gets no step; bad constants are rejected', () => {
    const x = Float64Array.of(-1.2, 1);
    expect(strongWolfeLineSearch(f, x, f.gradient(x))).toBeNull();
    expect(() =>
      strongWolfeLineSearch(
        f,
        x,
        f.gradient(x).map((v) => -v),
        { c1: 0.5, c2: 0.1 },
      ),
    ).toThrow(/c1, c2 is 0.5, 0.1; expected 0 < c1 < c2 < 1/);
  });
});

describe('backtrackingLineSearch', () => {
  test('takes the full step when it decreases f enough, and halves until Armijo holds otherwise', () => {
    const q = tiltedQuadratic();
    const x = Float64Array.of(3, -1);
    const g = q.gradient(x);
    const newtonDirection = solve((q.hessian as NonNullable<typeof q.hessian>)(x), g).map(
      (v) => -v,
    );
    expect(backtrackingLineSearch(q, x, newtonDirection)?.step).toBe(1);
    const start = Float64Array.of(-1.2, 1);
    const gs = f.gradient(start);
    const d = gs.map((v) => -v);
    const found = backtrackingLineSearch(f, start, d);
    expect(found).not.toBeNull();
    const a = found?.step as number;
    expect(found?.value).toBeLessThanOrEqual(f.value(start) + 1e-4 * a * dot(gs, d));
    // The step before it (twice as long) failed the condition.
    const longer = start.map((v, i) => v + 2 * a * (d[i] as number));
    expect(f.value(longer)).toBeGreaterThan(f.value(start) + 1e-4 * 2 * a * dot(gs, d));
  });
});
