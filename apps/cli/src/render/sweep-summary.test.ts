import type { SweepEntry } from '@gradlab/sweep';
import { describe, expect, it } from 'vitest';
import { type SweepSummary, sweepSummaryText } from './sweep-summary.js';

const entry = (i: number): SweepEntry =>
  ({
    id: `c${i}`,
    params: {
      'model.depth': 10 * i,
      'model.init': 'xavier-normal',
      mitigations: 'relu+he-init+batchnorm',
    },
    status: 'done',
    verdict: 'vanishing',
    finalLoss: 0.123456,
    accuracy: 0.875,
  }) as unknown as SweepEntry;

const summary: SweepSummary = {
  name: 'depth-x-init',
  out: 'runs/sweep-depth-x-init',
  entries: [1, 2, 3].map(entry),
  axes: ['model.depth', 'model.init', 'mitigations'],
  ran: 3,
  kept: 0,
  seconds: 12.5,
  cancelled: false,
};
const widest = (t: string) => Math.max(...t.split('\n').map((l) => [...l].length));

describe('the sweep summary fits the terminal', () => {
  it('at 80 columns: the axes, verdict and status stay; accuracy goes first', () => {
    const text = sweepSummaryText(summary, false, true, 80);
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text).toMatch(/│ model\.depth │ model\.init +│ mitigations +│ verdict +│ status │/);
    expect(text).not.toContain('acc');
  });

  it('at 120 columns, or without a width, every column', () => {
    for (const width of [120, null]) {
      const text = sweepSummaryText(summary, false, true, width);
      expect(text).toMatch(/│ verdict +│ final loss │ accuracy │ status │/);
      if (width) expect(widest(text)).toBeLessThanOrEqual(width);
    }
  });
});
