import { describe, expect, test } from 'vitest';
import { createRng, permutation } from './random.js';
import { mean, std } from './test-support.js';

const draw = (n: number, f: () => number): number[] => Array.from({ length: n }, f);

describe('createRng', () => {
  test('is deterministic per (seed, stream)', () => {
    const a = createRng(3, 'init');
    const b = createRng(3, 'init');
    expect(draw(50, a.next)).toEqual(draw(50, b.next));
    expect(draw(50, a.normal)).toEqual(draw(50, b.normal));
  });

  test.each(['init', 'data', 'data/teacher', 'batches', ''])(
    'seeds differ in stream %j',
    (stream) => {
      expect(draw(20, createRng(1, stream).next)).not.toEqual(draw(20, createRng(2, stream).next));
    },
  );

  test('streams and seeds differ', () => {
    const base = draw(20, createRng(3, 'init').next);
    expect(draw(20, createRng(3, 'data').next)).not.toEqual(base);
    expect(draw(20, createRng(4, 'init').next)).not.toEqual(base);
    // Seeds that differ only above 32 bits still give different streams.
    expect(draw(20, createRng(3 + 2 ** 32, 'init').next)).not.toEqual(base);
  });

  test('next is uniform in [0, 1)', () => {
    const xs = draw(20_000, createRng(1, 'u').next);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // U[0,1): mean 1/2, std 1/sqrt(12); standard errors ~0.002 and ~0.0015.
    expect(Math.abs(mean(xs) - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(std(xs) - 1 / Math.sqrt(12))).toBeLessThan(0.01);
  });

  test('normal is standard normal', () => {
    const xs = draw(20_000, createRng(1, 'n').normal);
    expect(Math.abs(mean(xs))).toBeLessThan(0.03);
    expect(Math.abs(std(xs) - 1)).toBeLessThan(0.03);
  });

  test('int(n) covers 0..n-1 only', () => {
    const rng = createRng(2, 'i');
    const seen = new Set(draw(1000, () => rng.int(5)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

test('permutation is a seeded permutation', () => {
  const p = permutation(createRng(5, 'p'), 100);
  expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  expect([...p]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  expect([...permutation(createRng(5, 'p'), 100)]).toEqual([...p]);
  expect([...permutation(createRng(6, 'p'), 100)]).not.toEqual([...p]);
});
