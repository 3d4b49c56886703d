import { describe, expect, it } from 'vitest';
import { verdictSummary } from './summary.js';
import { syntheticRecord } from './test-support.js';

describe('verdictSummary', () => {
  it('says how far below the last layer a vanished layer is', () => {
    const { headline, problems } = verdictSummary(syntheticRecord({ layers: 5 }));
    expect(headline).toBe(
      'Verdict: vanishing at the last full step (step 10), from: weight gradient of dense1 5.0e-5.',
    );
    expect(problems).toEqual([
      "dense1 vanished from step 1: gradient norm 5e-5, 10^-4 of the last layer's",
    ]);
  });

  it('a gradient of exactly 0 is said to be all zeros, not "0 of" the last', () => {
    const record = syntheticRecord({ layers: 5 });
    const first = record.metrics[0];
    if (!first) throw new Error('no metrics');
    (first.layers[0] as { gradNorm: number; ratioToLast: number }).gradNorm = 0;
    (first.layers[0] as { gradNorm: number; ratioToLast: number }).ratioToLast = 0;
    expect(verdictSummary(record).problems).toEqual([
      'dense1 vanished from step 1: every entry of its float32 gradient is exactly 0',
    ]);
  });
});
