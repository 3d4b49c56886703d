import type { RunRecord } from '@gradlab/core/node';
import { describe, expect, test } from 'vitest';
import { layerDifferences, relativeDifference } from './backend-diff.js';

const record = (steps: number[][]): RunRecord =>
  ({
    metrics: steps.map((norms, s) => ({
      step: s + 1,
      layers: norms.map((gradNorm, i) => ({ name: `dense${i + 1}`, gradNorm })),
    })),
  }) as unknown as RunRecord;

describe('backend differences', () => {
  test('relative to the reference; equal values (even zeros) differ by 0; NaN by Infinity', () => {
    expect(relativeDifference(1.1, 1)).toBeCloseTo(0.1, 12);
    expect(relativeDifference(0, 0)).toBe(0);
    expect(relativeDifference(Number.NaN, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(relativeDifference(1e-30, 0)).toBeGreaterThan(1);
  });

  test('per layer: the largest difference over the steps both runs logged, and the last norms', () => {
    const ref = record([
      [1, 2],
      [1, 4],
      [9, 9],
    ]);
    const other = record([
      [1.5, 2],
      [1, 4.4],
    ]);
    expect(layerDifferences(ref, other)).toEqual([
      { layer: 'dense1', reference: 1, other: 1, maxRelDiff: 0.5 },
      { layer: 'dense2', reference: 4, other: 4.4, maxRelDiff: expect.closeTo(0.1, 12) },
    ]);
  });
});
