import { describe, expect, test } from 'vitest';
import { checkOf, fastPass, numberOf, refusalOf, verifyFast } from '../../study-kit/test-study.js';
import { rosenbrockStudy } from './study.js';

const fast = rosenbrockStudy.settings.fast;

describe('rosenbrock study (host numerics)', () => {
  test('every check passes with the classic counts', async () => {
    const outcome = await fastPass(rosenbrockStudy);
    expect(rosenbrockStudy.usesBackend).toBe(false);
    const newton = numberOf(checkOf(outcome, 'newton-handful'), 'newton');
    const cg = numberOf(checkOf(outcome, 'cg-far-fewer-than-gd'), 'cg');
    const momentum = numberOf(checkOf(outcome, 'momentum-faster-than-gd'), 'momentum');
    const gd = numberOf(checkOf(outcome, 'gd-needs-thousands'), 'gd');
    // Newton < CG < momentum < GD, each by a wide margin: a handful of full Newton steps
    // (Newton with backtracking takes about as many iterations as CG, ~20).
    expect(newton).toBeGreaterThan(3);
    expect(newton).toBeLessThanOrEqual(6);
    expect(newton).toBeLessThan(cg / 3);
    expect(cg).toBeLessThan(60);
    expect(momentum).toBeGreaterThan(10 * cg);
    expect(gd).toBeGreaterThan(5 * momentum);
    expect(gd).toBeGreaterThan(10_000);
    // The Hessian at (1, 1) is [[802, -400], [-400, 200]]: condition number ~2508.
    expect(numberOf(checkOf(outcome, 'gd-needs-thousands'), 'condition')).toBeCloseTo(2508, -1);
    const table = outcome.tables?.[0];
    expect(table?.rows.map((r) => r[1])).toEqual([gd, momentum, newton, cg]);
    const paths = outcome.figures.find((f) => f.id === 'paths');
    // Drawn as trajectories: lines that join the iterates in the order they were taken.
    expect(paths).toMatchObject({ kind: 'line', path: true });
    for (const series of ['gradient descent, step 0.001', 'momentum 0.9, step 0.001']) {
      const points = paths?.points.filter((p) => p.series === series) ?? [];
      expect(points.length).toBeGreaterThan(50);
      expect(points.length).toBeLessThanOrEqual(fast.figurePoints + 1);
      expect(points[0]).toMatchObject({ x: -1.2, y: 1 });
      // The last point drawn is the last iterate, at the minimum (1, 1).
      expect(points.at(-1)?.x as number).toBeCloseTo(1, 2);
      expect(points.at(-1)?.y as number).toBeCloseTo(1, 2);
    }
  });

  test('counterfactual: momentum 0 ties gradient descent', async () => {
    const c = checkOf(
      await verifyFast(rosenbrockStudy, { momentum: 0 }),
      'momentum-faster-than-gd',
    );
    expect(c.pass).toBe(false);
    expect(numberOf(c, 'momentum')).toBe(numberOf(c, 'gd'));
  });

  test('counterfactual: Newton with the Hessian replaced by the identity is gradient descent and misses its bound', async () => {
    const c = checkOf(
      await verifyFast(rosenbrockStudy, {
        newton: { lineSearch: 'backtracking', hessian: 'identity' },
      }),
      'newton-handful',
    );
    expect(c.pass).toBe(false);
    expect(numberOf(c, 'newton')).toBeGreaterThan(1000);
  });

  test('counterfactual: conjugate gradients without conjugacy (steepest descent) lose their edge', async () => {
    const c = checkOf(
      await verifyFast(rosenbrockStudy, { conjugacy: 'none' }),
      'cg-far-fewer-than-gd',
    );
    expect(c.pass).toBe(false);
    expect(numberOf(c, 'ratio')).toBeGreaterThan(0.02);
  });

  test('counterfactual: in a wide valley (b = 1) a larger stable step makes gradient descent fast', async () => {
    const c = checkOf(await verifyFast(rosenbrockStudy, { b: 1, step: 0.1 }), 'gd-needs-thousands');
    expect(c.pass).toBe(false);
    expect(numberOf(c, 'gd')).toBeLessThan(1000);
    expect(numberOf(c, 'condition')).toBeLessThan(50);
  });

  test('bad settings are refused with the field, the value and what is allowed', async () => {
    expect(await refusalOf(rosenbrockStudy, { step: -1 })).toMatch(
      /step is -1; expected a finite number > 0/,
    );
    expect(await refusalOf(rosenbrockStudy, { start: [1] as unknown as [number, number] })).toMatch(
      /start is \[1\]/,
    );
  });
});
