import type { RunRecord } from '@gradlab/core';
import { describe, expect, test } from 'vitest';
import { backendDifferences } from './backend-diff.js';

/** A record of `steps[s][i]` = layer i's gradient norm at step s + 1, with a loss per step. */
const record = (steps: number[][], losses = steps.map(() => 1)): RunRecord =>
  ({
    metrics: steps.map((norms, s) => ({
      step: s + 1,
      loss: losses[s],
      layers: norms.map((gradNorm, i) => ({ name: `dense${i + 1}`, gradNorm, biasGradNorm: null })),
    })),
  }) as unknown as RunRecord;

describe('backend differences', () => {
  test('step 1 and the drift over the steps both runs logged, per layer and in all', () => {
    const ref = record([
      [1, 2],
      [1, 4],
      [9, 9],
    ]);
    const other = record([
      [1, 2 * (1 + 1e-7)],
      [1.5, 4],
    ]);
    const d = backendDifferences(ref, other);
    expect(d.layers).toEqual([
      { layer: 'dense1', reference: 1, other: 1, step1RelDiff: 0, maxRelDiff: 0.5 },
      {
        layer: 'dense2',
        reference: 2,
        other: 2 * (1 + 1e-7),
        step1RelDiff: expect.closeTo(1e-7, 12),
        maxRelDiff: expect.closeTo(1e-7, 12),
      },
    ]);
    expect(d.agreement.step1?.maxRelDiff).toBeCloseTo(1e-7, 12);
    expect(d.agreement.drift.steps).toBe(2);
    // dense1 is 50% off at step 2: beyond 1e-3 there.
    expect(d.agreement.drift.firstDivergence).toEqual({
      step: 2,
      quantity: 'dense1',
      gradient: 'kernel',
      relDiff: 0.5,
    });
  });

  test('a loss that drifts beyond 1e-3 is a divergence too; identical runs never diverge', () => {
    const ref = record([[1], [1]], [2, 2]);
    expect(
      backendDifferences(ref, record([[1], [1]], [2, 2 * (1 + 2e-3)])).agreement.drift
        .firstDivergence,
    ).toMatchObject({ step: 2, quantity: 'loss' });
    expect(backendDifferences(ref, ref).agreement.drift.firstDivergence).toBe('never');
  });
});
