import type { RunRecord } from '@gradlab/core/node';
import type { TopLevelSpec } from 'vega-lite';

/**
 * The learning rate of every step (telemetry "lr"). Null when the run reported none, or when it
 * was the same at every step (a constant rate is in the spec; a chart would add nothing).
 */
export function learningRateSpec(record: RunRecord): TopLevelSpec | null {
  const values = record.metrics.flatMap((m) => {
    const lr = m.telemetry.lr;
    return typeof lr === 'number' && Number.isFinite(lr) ? [{ step: m.step, lr }] : [];
  });
  if (values.length === 0) return null;
  const first = values[0]?.lr;
  if (values.every((v) => v.lr === first)) return null;
  const positive = values.every((v) => v.lr > 0);
  const min = Math.min(...values.map((v) => v.lr));
  const max = Math.max(...values.map((v) => v.lr));
  const log = positive && max / min > 100;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Learning rate',
    width: 640,
    height: 160,
    data: { values },
    mark: { type: 'line', color: '#2e7d32' },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: {
        field: 'lr',
        type: 'quantitative',
        title: log ? 'learning rate (log scale)' : 'learning rate',
        scale: log ? { type: 'log' } : { zero: false },
      },
    },
  } as TopLevelSpec;
}
