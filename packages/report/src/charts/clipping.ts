import { formatPercent, type RunRecord } from '@gradlab/core';
import type { TopLevelSpec } from 'vega-lite';
import { everyKth, loggable } from '../data.js';
import { logAxis } from './log-axis.js';
import { stepAxis } from './step-axis.js';

/** How many of the steps that reported clipping telemetry were clipped. */
export function clipShare(record: RunRecord): { clipped: number; steps: number } {
  const flags = record.metrics
    .map((m) => m.telemetry['clip.clipped'])
    .filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return { clipped: flags.filter((x) => x > 0).length, steps: flags.length };
}

/**
 * Gradient clipping: the global gradient norm before and after clipping at every step (log
 * scale), with the share of clipped steps in the title. Null when the run did not clip (no
 * step reported clip.preNorm). Long runs draw every k-th step plus the first and last (at most
 * about 1,000 steps); the share in the title counts every step.
 */
export function clippingSpec(record: RunRecord): TopLevelSpec | null {
  const rows = record.metrics.filter((m) => typeof m.telemetry['clip.preNorm'] === 'number');
  if (rows.length === 0) return null;
  const values = everyKth(rows).flatMap((m) => {
    const pre = m.telemetry['clip.preNorm'];
    const post = m.telemetry['clip.postNorm'];
    return [
      ...(loggable(pre) ? [{ step: m.step, norm: pre, series: 'before clipping' }] : []),
      ...(loggable(post) ? [{ step: m.step, norm: post, series: 'after clipping' }] : []),
    ];
  });
  const { clipped, steps } = clipShare(record);
  const share =
    steps > 0
      ? `${clipped} of ${steps} steps clipped (${formatPercent(clipped / steps)})`
      : 'clipping';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Gradient clipping: ${share}`,
      subtitle: 'global gradient norm before and after clipping',
    },
    width: 640,
    height: 220,
    data: { values },
    mark: { type: 'line' },
    encoding: {
      x: stepAxis(values.map((v) => v.step)),
      y: {
        field: 'norm',
        type: 'quantitative',
        scale: { type: 'log' },
        axis: logAxis(),
        title: 'global gradient norm',
      },
      color: {
        field: 'series',
        type: 'nominal',
        sort: ['before clipping', 'after clipping'],
        scale: { domain: ['before clipping', 'after clipping'], range: ['#d62728', '#1f77b4'] },
        title: null,
      },
    },
  } as TopLevelSpec;
}
