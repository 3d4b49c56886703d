import { expect, test } from 'vitest';
import { batchSampler } from './batches.js';

/** The first `count` batches of a sampler, concatenated. */
const draw = (next: () => Int32Array, count: number): number[] =>
  Array.from({ length: count }, () => Array.from(next())).flat();

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('batches are full-sized and every epoch is a permutation of the data set', () => {
  const next = batchSampler(1, 10, 4);
  expect(next()).toHaveLength(4);
  // 15 batches of 4 = 6 epochs of 10; an epoch's tail joins the next epoch's head.
  const drawn = draw(batchSampler(1, 10, 4), 15);
  for (let e = 0; e < 6; e++) {
    expect(drawn.slice(10 * e, 10 * e + 10).sort((a, b) => a - b)).toEqual(range(10));
  }
  // Each epoch is shuffled anew.
  expect(drawn.slice(10, 20)).not.toEqual(drawn.slice(0, 10));
});

test('batches are deterministic by seed', () => {
  expect(draw(batchSampler(3, 20, 5), 6)).toEqual(draw(batchSampler(3, 20, 5), 6));
  expect(draw(batchSampler(4, 20, 5), 6)).not.toEqual(draw(batchSampler(3, 20, 5), 6));
});
