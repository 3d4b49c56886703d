import type { RunRecord } from '@gradlab/core';
import type { TopLevelSpec } from 'vega-lite';
import { everyKth } from '../data.js';
import { logAxis } from './log-axis.js';
import { stepAxis } from './step-axis.js';

/**
 * The learning rate of every step (telemetry "lr"). Null when the run reported none, or when it
 * was the same at every step (a constant rate is in the spec; a chart would add nothing).
 * Long runs draw every k-th step plus the first and last (at most about 1,000 points).
 */
export function learningRateSpec(record: RunRecord): TopLevelSpec | null {
  const all = record.metrics.flatMap((m) => {
    const lr = m.telemetry.lr;
    return typeof lr === 'number' && Number.isFinite(lr) ? [{ step: m.step, lr }] : [];
  });
  if (all.length === 0) return null;
  const first = all[0]?.lr;
  if (all.every((v) => v.lr === first)) return null;
  const positive = all.every((v) => v.lr > 0);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of all) {
    min = Math.min(min, v.lr);
    max = Math.max(max, v.lr);
  }
  const values = everyKth(all);
  const log = positive && max / min > 100;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Learning rate',
    width: 640,
    height: 160,
    data: { values },
    mark: { type: 'line', color: '#2e7d32' },
    encoding: {
      x: stepAxis(values.map((v) => v.step)),
      y: {
        field: 'lr',
        type: 'quantitative',
        title: log ? 'learning rate (log scale)' : 'learning rate',
        scale: log ? { type: 'log' } : { zero: false },
        ...(log ? { axis: logAxis() } : {}),
      },
    },
  } as TopLevelSpec;
}
