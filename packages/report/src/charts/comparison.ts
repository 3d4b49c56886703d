import type { RunRecord } from '@gradlab/core/node';
import type { TopLevelSpec } from 'vega-lite';
import { fullSteps, layerNames, loggable } from '../data.js';

/** One variant of a comparison with its run record. */
export interface ComparisonVariant {
  readonly variant: string;
  readonly record: RunRecord;
}

/**
 * The gradient-flow profiles of every variant overlaid: ||dL/dW|| of each layer over the last
 * layer's (ratioToLast) at each variant's last full-diagnostic step, log scale, one colour per
 * variant. Null when no variant has a full step.
 */
export function comparisonFlowSpec(variants: readonly ComparisonVariant[]): TopLevelSpec | null {
  const layers: string[] = [];
  const values = variants.flatMap(({ variant, record }) => {
    for (const n of layerNames(record)) if (!layers.includes(n)) layers.push(n);
    const last = fullSteps(record).at(-1) ?? record.manifest.result.final;
    if (!last) return [];
    return last.layers
      .filter((l) => loggable(l.ratioToLast))
      .map((l) => ({ variant, layer: l.name, ratio: l.ratioToLast, step: last.step }));
  });
  if (values.length === 0) return null;
  const encoding = {
    x: { field: 'layer', type: 'ordinal', sort: layers, title: 'layer' },
    y: {
      field: 'ratio',
      type: 'quantitative',
      scale: { type: 'log' },
      title: "gradient norm / last layer's",
    },
    color: {
      field: 'variant',
      type: 'nominal',
      sort: variants.map((v) => v.variant),
      title: 'variant',
    },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Gradient flow by variant',
      subtitle: 'last full-diagnostic step of each variant; input layer on the left',
    },
    width: Math.max(320, Math.min(900, layers.length * 36)),
    height: 260,
    layer: [
      { name: 'flow_lines', data: { values }, mark: { type: 'line' }, encoding },
      {
        name: 'flow_points',
        data: { values },
        mark: { type: 'point', filled: true, size: 40 },
        encoding,
      },
    ],
  } as TopLevelSpec;
}

/**
 * The training loss of every variant overlaid, one colour per variant (log scale when every loss
 * is positive and they span more than 100x). Null when no variant logged a finite loss.
 */
export function comparisonLossSpec(variants: readonly ComparisonVariant[]): TopLevelSpec | null {
  const values = variants.flatMap(({ variant, record }) =>
    record.metrics
      .filter((m) => Number.isFinite(m.loss))
      .map((m) => ({ variant, step: m.step, loss: m.loss })),
  );
  if (values.length === 0) return null;
  const losses = values.map((v) => v.loss);
  const min = Math.min(...losses);
  const log = min > 0 && Math.max(...losses) / min > 100;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Loss by variant',
    width: 640,
    height: 240,
    layer: [
      {
        name: 'loss_lines',
        data: { values },
        mark: { type: 'line' },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step' },
          y: {
            field: 'loss',
            type: 'quantitative',
            title: log ? 'loss (log scale)' : 'loss',
            scale: log ? { type: 'log' } : { zero: false },
          },
          color: {
            field: 'variant',
            type: 'nominal',
            sort: variants.map((v) => v.variant),
            title: 'variant',
          },
        },
      },
    ],
  } as TopLevelSpec;
}
