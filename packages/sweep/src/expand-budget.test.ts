/** A cell too big for the memory limit fails the sweep's checks, before anything runs. */
import { estimateBudget } from '@gradlab/core';
import { expect, test } from 'vitest';
import { expandSweep } from './expand.js';
import { parseSweep, type SweepSpecInput } from './schema.js';
import { depthByInit, errorOf, presets } from './test-support.js';

const GiB = 2 ** 30;
const limit = { bytes: 4 * GiB, source: 'GRADLAB_MAX_MEMORY=4GiB' };

const expand = (s: SweepSpecInput) =>
  expandSweep(parseSweep(s), { presets, memoryLimit: limit }, 'my.json');

test('the cells within the limit expand as before', () => {
  expect(expand(depthByInit)).toHaveLength(16);
});

test('a cell over the limit is an INVALID_SWEEP error naming its params, estimate and limit', () => {
  const sweep: SweepSpecInput = {
    ...depthByInit,
    grid: { 'model.depth': [4, 1000], 'model.width': [8192] },
    mitigations: ['none'],
    seeds: [0],
  };
  const e = errorOf(() => expand(sweep));
  expect(e.code).toBe('INVALID_SWEEP');
  const text = [e.message, ...e.details].join('\n');
  expect(text).toMatch(
    /the cell \{"model\.depth":1000,"model\.width":8192,"seed":0\} needs about [\d.]+ TiB/,
  );
  expect(text).toContain('the limit is 4.00 GiB (GRADLAB_MAX_MEMORY=4GiB)');
  // The depth-4 cell fits: only the cell over the limit is named.
  expect(text).not.toMatch(/"model\.depth":4,/);
});

test('the limit applies to the spec a mitigation makes', () => {
  // The first cell of the example, with and without batchnorm: a limit between the two.
  const [plain, normed] = expand({ ...depthByInit, seeds: [0] }).slice(0, 2);
  const plainBytes = estimateBudget(plain?.spec as never).bytes.total;
  const normedBytes = estimateBudget(normed?.spec as never).bytes.total;
  expect(normedBytes).toBeGreaterThan(plainBytes);
  const tight = { bytes: plainBytes, source: 'test' };
  const e = errorOf(() =>
    expandSweep(parseSweep({ ...depthByInit, grid: { 'model.depth': [4] }, seeds: [0] }), {
      presets,
      memoryLimit: tight,
    }),
  );
  expect([e.message, ...e.details].join('\n')).toMatch(/"mitigation":"batchnorm"\} needs about/);
});
