import type { RunRecord } from '@gradlab/core/node';
import type { TopLevelSpec } from 'vega-lite';
import { fullSteps, layerNames, loggable, minMaxBuckets } from '../data.js';

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
export function comparisonFlowSpec(
  variants: readonly ComparisonVariant[],
  /** What a variant is, in the title and legend: 'variant', or 'backend' for a backend comparison. */
  label = 'variant',
): TopLevelSpec | null {
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
      title: label,
    },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Gradient flow by ${label}`,
      subtitle: `last full-diagnostic step of each ${label}; input layer on the left`,
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
  // Long runs: the minimum and maximum of each of 500 buckets of steps, per variant.
  const values = variants.flatMap(({ variant, record }) =>
    minMaxBuckets(
      record.metrics
        .filter((m) => Number.isFinite(m.loss))
        .map((m) => ({ variant, step: m.step, loss: m.loss })),
      (p) => p.loss,
    ),
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

/** One layer of a backend comparison.json: the largest relative difference per backend. */
export interface BackendDiffLayer {
  readonly layer: string;
  readonly maxRelDiff: Readonly<Record<string, number | null>>;
}

/**
 * Per layer, each backend's largest relative difference of ||dL/dW|| from the reference backend
 * over all steps: bars grouped by layer, one colour per backend, log scale. Differences of 0
 * (the reference itself, or bit-identical results) cannot sit on a log scale and are left out.
 * Null when no difference is positive.
 */
export function backendDiffSpec(
  layers: readonly BackendDiffLayer[],
  backends: readonly string[],
): TopLevelSpec | null {
  const values = layers.flatMap((l) =>
    backends.flatMap((backend) => {
      const diff = l.maxRelDiff[backend];
      return loggable(diff) ? [{ layer: l.layer, backend, diff }] : [];
    }),
  );
  if (values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Largest relative difference from the reference, by layer',
      subtitle: 'gradient norm, over all steps; log scale; 0 is not drawn',
    },
    width: Math.max(320, Math.min(900, layers.length * 48)),
    height: 240,
    data: { values },
    mark: { type: 'bar' },
    name: 'diff_bars',
    encoding: {
      x: { field: 'layer', type: 'ordinal', sort: layers.map((l) => l.layer), title: 'layer' },
      xOffset: { field: 'backend', type: 'nominal', sort: [...backends] },
      y: {
        field: 'diff',
        type: 'quantitative',
        scale: { type: 'log' },
        // Stacked bars start at 0, which a log scale cannot show: the bars would have no height.
        stack: null,
        title: 'max relative difference',
      },
      color: { field: 'backend', type: 'nominal', sort: [...backends], title: 'backend' },
      tooltip: [{ field: 'layer' }, { field: 'backend' }, { field: 'diff', format: '.3e' }],
    },
  } as TopLevelSpec;
}
