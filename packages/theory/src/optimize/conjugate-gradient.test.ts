import { createRng } from '@gradlab/core';
import { describe, expect, test } from 'vitest';
import { gaussianMatrix, matMul, transpose } from '../linalg.js';
import { conjugateGradient } from './conjugate-gradient.js';
import { gradientDescent } from './gradient-descent.js';
import { quadratic } from './quadratic.js';
import { rosenbrock } from './rosenbrock.js';
import { tiltedQuadratic } from './test-problems.js';

const exact = { c1: 1e-11, c2: 1e-10 };

describe('conjugateGradient', () => {
  test.each(['polak-ribiere-plus', 'fletcher-reeves'] as const)(
    '%s with an exact line search minimises a 2-D quadratic in 2 iterations',
    (beta) => {
      const r = conjugateGradient(
        tiltedQuadratic(),
        [3, -1],
        { beta, lineSearch: exact },
        { tolerance: 1e-9, maxIterations: 10 },
      );
      expect(r.iterations).toBe(2);
    },
  );

  test('and a 6-D quadratic in 6, where steepest descent with the same line search needs many more', () => {
    const n = 6;
    const g = gaussianMatrix(n, n, createRng(7, 'spd'));
    const spd = matMul(transpose(g), g);
    for (let i = 0; i < n; i++) spd.data[i * n + i] = (spd.data[i * n + i] as number) + 0.5;
    // Minimum 0 at the origin: f keeps its resolution all the way down (a line search compares
    // values of f, which cannot resolve a step near a minimum where f is large).
    const q = quadratic(spd, new Array(n).fill(0));
    const start = [1, 2, 3, 4, 5, 6];
    const stop = { tolerance: 1e-7, maxIterations: 10_000 };
    const cg = conjugateGradient(q, start, { lineSearch: exact }, stop);
    expect(cg.iterations).toBeLessThanOrEqual(n);
    const sd = conjugateGradient(q, start, { beta: 'none', lineSearch: exact }, stop);
    expect(sd.stopReason).toBe('reached-target');
    expect(sd.iterations).toBeGreaterThan(3 * n);
  });

  test('on Rosenbrock from (-1.2, 1) it needs tens of iterations, steepest descent with the same line search hundreds', () => {
    const f = rosenbrock();
    const stop = { tolerance: 1e-4, maxIterations: 30_000 };
    const cg = conjugateGradient(f, [-1.2, 1], {}, stop);
    const sd = conjugateGradient(f, [-1.2, 1], { beta: 'none' }, stop);
    const gd = gradientDescent(f, [-1.2, 1], { step: 1e-3 }, stop);
    expect(cg.iterations).toBeLessThan(50);
    expect(sd.iterations as number).toBeGreaterThan(10 * (cg.iterations as number));
    expect(gd.iterations as number).toBeGreaterThan(100 * (cg.iterations as number));
  });

  test('rejects an unknown rule', () => {
    expect(() =>
      conjugateGradient(
        tiltedQuadratic(),
        [0, 0],
        { beta: 'hestenes' as 'none' },
        { tolerance: 1, maxIterations: 1 },
      ),
    ).toThrow(/beta is hestenes/);
  });
});
