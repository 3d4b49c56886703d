import type { RunRecord } from '@gradlab/core/node';
import type { TopLevelSpec } from 'vega-lite';
import { everyKth, minMaxBuckets } from '../data.js';

export interface LossChartOptions {
  /** Log scale for the loss; by default, when every loss is positive and they span > 100x. */
  readonly logScale?: boolean;
}

/**
 * Training loss per step, and the batch accuracy of full steps where the run measured it. Long
 * runs are downsampled for drawing: the loss to the minimum and maximum of each of 500 buckets
 * of steps, the accuracy to every k-th full step plus the first and last (about 1,000 points).
 */
export function lossSpec(record: RunRecord, options: LossChartOptions = {}): TopLevelSpec {
  const loss = minMaxBuckets(
    record.metrics
      .filter((m) => Number.isFinite(m.loss))
      .map((m) => ({ step: m.step, loss: m.loss })),
    (p) => p.loss,
  );
  const positive = loss.every((l) => l.loss > 0);
  const values = loss.map((l) => l.loss);
  // The buckets keep every minimum and maximum: the spread is that of all steps.
  const spread = values.length > 0 ? Math.max(...values) / Math.min(...values) : 1;
  const log = positive && loss.length > 0 && (options.logScale ?? spread > 100);
  const accuracy = everyKth(
    record.metrics
      .filter((m) => typeof m.accuracy === 'number' && Number.isFinite(m.accuracy))
      .map((m) => ({ step: m.step, accuracy: m.accuracy })),
  );
  const lossLayer = {
    name: 'loss',
    data: { values: loss },
    mark: { type: 'line', color: '#1f77b4' },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: {
        field: 'loss',
        type: 'quantitative',
        title: log ? 'loss (log scale)' : 'loss',
        scale: log ? { type: 'log' } : { zero: false },
        axis: { titleColor: '#1f77b4' },
      },
    },
  };
  const accuracyLayer = {
    name: 'accuracy',
    data: { values: accuracy },
    mark: { type: 'line', color: '#d62728', point: true, strokeDash: [4, 2] },
    encoding: {
      x: { field: 'step', type: 'quantitative' },
      y: {
        field: 'accuracy',
        type: 'quantitative',
        title: 'batch accuracy',
        scale: { domain: [0, 1] },
        axis: { format: '%', titleColor: '#d62728' },
      },
    },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: accuracy.length > 0 ? 'Loss and accuracy' : 'Loss',
    width: 640,
    height: 220,
    layer: accuracy.length > 0 ? [lossLayer, accuracyLayer] : [lossLayer],
    ...(accuracy.length > 0 ? { resolve: { scale: { y: 'independent' } } } : {}),
  } as TopLevelSpec;
}
