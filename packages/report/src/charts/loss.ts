import type { RunRecord } from '@gradlab/core';
import type { TopLevelSpec } from 'vega-lite';
import { everyKth, minMaxBuckets } from '../data.js';
import { logAxis } from './log-axis.js';
import { DEFAULT_SMOOTHING, emaSmooth } from './smoothing.js';
import { stepAxis } from './step-axis.js';

export interface LossChartOptions {
  /** Log scale for the loss; by default, when every loss is positive and they span > 100x. */
  readonly logScale?: boolean;
  /**
   * The weight of the loss's exponential moving average, in [0, 1) (TensorBoard's slider): the
   * smoothed curve is drawn on top and the raw loss faint behind it. 0 draws the raw loss alone.
   * Default 0.6.
   */
  readonly smoothing?: number;
}

const LOSS_COLOUR = '#1f77b4';

/**
 * Training loss per step, and the batch accuracy of full steps where the run measured it. The
 * loss is smoothed (an exponential moving average, as TensorBoard does) over every step, and the
 * raw loss stays faint behind it: a noisy batch loss reads as a trend without hiding its spikes.
 * Long runs are downsampled for drawing: the raw loss to the minimum and maximum of each of 500
 * buckets of steps, the smoothed loss and the accuracy to every k-th step plus the first and last
 * (about 1,000 points).
 */
export function lossSpec(record: RunRecord, options: LossChartOptions = {}): TopLevelSpec {
  const finiteLoss = record.metrics
    .filter((m) => Number.isFinite(m.loss))
    .map((m) => ({ step: m.step, loss: m.loss }));
  const loss = minMaxBuckets(finiteLoss, (p) => p.loss);
  const weight = options.smoothing ?? DEFAULT_SMOOTHING;
  const smoothedValues =
    weight > 0
      ? emaSmooth(
          finiteLoss.map((p) => p.loss),
          weight,
        )
      : [];
  const smoothed = everyKth(
    smoothedValues.map((loss, i) => ({ step: (finiteLoss[i] as { step: number }).step, loss })),
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
  const x = stepAxis(record.metrics.map((m) => m.step));
  const y = {
    field: 'loss',
    type: 'quantitative',
    title: log ? 'loss (log scale)' : 'loss',
    scale: log ? { type: 'log' } : { zero: false },
    axis: log ? logAxis({ titleColor: LOSS_COLOUR }) : { titleColor: LOSS_COLOUR },
  };
  const line = (name: string, points: readonly object[], mark: object) => ({
    name,
    data: { values: points },
    mark: { type: 'line', color: LOSS_COLOUR, ...mark },
    encoding: { x, y },
  });
  // One group shares the loss axis between the raw and the smoothed curve; the accuracy beside
  // it has an axis of its own.
  const lossGroup =
    weight > 0
      ? {
          layer: [
            line('loss_raw', loss, { opacity: 0.25, strokeWidth: 1 }),
            line('loss', smoothed, { strokeWidth: 2 }),
          ],
        }
      : { layer: [line('loss', loss, {})] };
  const accuracyLayer = {
    name: 'accuracy',
    data: { values: accuracy },
    mark: { type: 'line', color: '#d62728', point: true, strokeDash: [4, 2] },
    encoding: {
      x,
      y: {
        field: 'accuracy',
        type: 'quantitative',
        title: 'batch accuracy',
        scale: { domain: [0, 1] },
        axis: { format: '%', titleColor: '#d62728' },
      },
    },
  };
  const title = accuracy.length > 0 ? 'Loss and accuracy' : 'Loss';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title:
      weight > 0
        ? { text: title, subtitle: `loss smoothed (moving average, weight ${weight}); faint: raw` }
        : title,
    width: 640,
    height: 220,
    layer: accuracy.length > 0 ? [lossGroup, accuracyLayer] : [lossGroup],
    ...(accuracy.length > 0 ? { resolve: { scale: { y: 'independent' } } } : {}),
  } as TopLevelSpec;
}
