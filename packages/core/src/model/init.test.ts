import { describe, expect, test } from 'vitest';
import { createRng } from '../random.js';
import type { Initializer } from '../spec/schema.js';
import { type Matrix, matmul, mean, rows, transpose } from '../test-support.js';
import { initKernel, normalizeInit } from './init.js';

const kernel = (init: Initializer, fanIn: number, fanOut: number, seed = 1): Float32Array =>
  initKernel(init, fanIn, fanOut, createRng(seed, 'init'));

/** Sample variance around 0 (the initialisers are zero-mean). */
const variance = (xs: ArrayLike<number>): number =>
  Array.from(xs).reduce((s, v) => s + v * v, 0) / xs.length;

/** Max |A - I * scale| over every entry. */
function distanceToIdentity(a: Matrix, scale = 1): number {
  let worst = 0;
  a.forEach((row, i) => {
    row.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - (i === j ? scale : 0)));
    });
  });
  return worst;
}

describe('variance-scaling initialisers', () => {
  // 120,000 draws: the sample variance has a relative standard error under 0.5%.
  const fanIn = 400;
  const fanOut = 300;
  const cases: [Initializer, number][] = [
    ['he-normal', 2 / fanIn],
    ['he-uniform', 2 / fanIn],
    ['xavier-uniform', 2 / (fanIn + fanOut)],
    ['xavier-normal', 2 / (fanIn + fanOut)],
    ['lecun-normal', 1 / fanIn],
    ['lecun-uniform', 1 / fanIn],
    [{ kind: 'normal', std: 0.3 }, 0.09],
    [{ kind: 'uniform', limit: 0.3 }, 0.03],
    [{ kind: 'he-normal', gain: 2 }, 8 / fanIn],
  ];
  test.each(cases)('%j has the variance of its formula', (init, expected) => {
    const w = kernel(init, fanIn, fanOut);
    expect(w).toHaveLength(fanIn * fanOut);
    expect(Math.abs(variance(w) / expected - 1)).toBeLessThan(0.02);
    expect(Math.abs(mean(Array.from(w)))).toBeLessThan(0.01 * Math.sqrt(expected));
  });

  test('uniform initialisers stay inside their limit', () => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = kernel('xavier-uniform', fanIn, fanOut);
    const max = Math.max(...Array.from(w, Math.abs));
    expect(max).toBeLessThanOrEqual(limit);
    expect(max).toBeGreaterThan(0.99 * limit);
  });

  test('the same rng gives the same kernel, another seed another', () => {
    expect(kernel('he-normal', 20, 10, 1)).toEqual(kernel('he-normal', 20, 10, 1));
    expect(kernel('he-normal', 20, 10, 1)).not.toEqual(kernel('he-normal', 20, 10, 2));
  });
});

describe('orthogonal', () => {
  test('tall kernels have orthonormal columns: W^T W = I', () => {
    const w = rows(kernel('orthogonal', 12, 5), 5);
    expect(distanceToIdentity(matmul(transpose(w), w))).toBeLessThan(1e-5);
  });

  test('wide kernels have orthonormal rows: W W^T = I', () => {
    const w = rows(kernel('orthogonal', 5, 12), 12);
    expect(distanceToIdentity(matmul(w, transpose(w)))).toBeLessThan(1e-5);
  });

  test('square kernels are orthogonal both ways, scaled by the gain', () => {
    const w = rows(kernel({ kind: 'orthogonal', gain: 1.5 }, 8, 8), 8);
    expect(distanceToIdentity(matmul(transpose(w), w), 2.25)).toBeLessThan(1e-5);
    expect(distanceToIdentity(matmul(w, transpose(w)), 2.25)).toBeLessThan(1e-5);
  });
});

describe('fixed initialisers', () => {
  test('identity puts the gain on the diagonal', () => {
    expect(rows(kernel('identity', 3, 3), 3)).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(rows(kernel({ kind: 'identity', gain: 2 }, 2, 3), 3)).toEqual([
      [2, 0, 0],
      [0, 2, 0],
    ]);
    expect(rows(kernel('identity', 3, 2), 2)).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
  });

  test('zeros and constant', () => {
    expect(Array.from(kernel('zeros', 3, 4))).toEqual(new Array(12).fill(0));
    expect(Array.from(kernel({ kind: 'constant', value: -0.5 }, 3, 4))).toEqual(
      new Array(12).fill(-0.5),
    );
  });
});

test('normalizeInit turns a name into an object', () => {
  expect(normalizeInit('he-normal')).toEqual({ kind: 'he-normal' });
  expect(normalizeInit({ kind: 'normal', std: 1 })).toEqual({ kind: 'normal', std: 1 });
});
