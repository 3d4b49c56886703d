import type { NormKind, RunRecord } from '@gradlab/core';
import type { TopLevelSpec } from 'vega-lite';
import { fullSteps, layerNames, loggable, minMaxBuckets, sci } from '../data.js';
import { logAxis } from './log-axis.js';
import { kindOf, logScale, markerOf, offScaleLayers, presentKinds } from './off-scale.js';
import { stepAxis } from './step-axis.js';

/** One variant of a comparison with its run record. */
export interface ComparisonVariant {
  readonly variant: string;
  readonly record: RunRecord;
}

/**
 * The gradient-flow profiles of every variant overlaid: ||dL/dW|| of each layer over the last
 * layer's (ratioToLast) at each variant's last full-diagnostic step, log scale, one colour per
 * variant. A layer whose norm is 0, subnormal or NaN/Infinity (or whose ratio has none, the last
 * layer's norm being 0) is drawn at the bottom or top edge with its own shape, as in the
 * gradient-flow chart, and breaks the line. Null when no variant has a full step.
 */
export function comparisonFlowSpec(
  variants: readonly ComparisonVariant[],
  /** What a variant is, in the title and legend: 'variant', or 'backend' for a backend comparison. */
  label = 'variant',
): TopLevelSpec | null {
  const layers: string[] = [];
  const all = variants.flatMap(({ variant, record }) => {
    for (const n of layerNames(record)) if (!layers.includes(n)) layers.push(n);
    const last = fullSteps(record).at(-1) ?? record.manifest.result.final;
    if (!last) return [];
    return last.layers.map((l) => {
      // The layer's own norm says what it is; a finite norm over a last layer's 0 has no ratio.
      const own = kindOf(l.gradNorm);
      const kind: NormKind =
        own !== 'finite' ? own : loggable(l.ratioToLast) ? 'finite' : 'non-finite';
      return {
        variant,
        layer: l.name,
        ratio: kind === 'finite' ? l.ratioToLast : null,
        step: last.step,
        kind,
        marker:
          own !== 'finite'
            ? markerOf(l.gradNorm)
            : kind === 'finite'
              ? null
              : 'no ratio (last layer 0 or non-finite)',
      };
    });
  });
  if (all.length === 0) return null;
  const kinds = presentKinds(all.map((v) => v.kind));
  const x = { field: 'layer', type: 'ordinal', sort: layers, title: 'layer' } as const;
  const color = {
    field: 'variant',
    type: 'nominal',
    sort: variants.map((v) => v.variant),
    title: label,
  } as const;
  const encoding = {
    x,
    y: {
      field: 'ratio',
      type: 'quantitative',
      scale: logScale(kinds),
      axis: logAxis(),
      title: "gradient norm / last layer's",
    },
    color,
  } as const;
  const edgeLayers = offScaleLayers(all, kinds, {
    x,
    color,
    tooltip: [
      { field: 'variant', title: label },
      { field: 'layer' },
      { field: 'marker', title: 'gradient norm' },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Gradient flow by ${label}`,
      subtitle: `last full-diagnostic step of each ${label}; input layer on the left`,
    },
    width: Math.max(320, Math.min(900, layers.length * 36)),
    height: 260,
    layer: [
      {
        name: 'flow_lines',
        data: { values: all },
        // A null ratio breaks the line instead of joining its neighbours across the gap.
        mark: { type: 'line', invalid: 'break-paths-filter-domains' },
        encoding,
      },
      {
        name: 'flow_points',
        data: { values: all.filter((v) => v.ratio !== null) },
        mark: { type: 'point', filled: true, size: 40 },
        encoding,
      },
      ...edgeLayers,
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
          x: stepAxis(values.map((v) => v.step)),
          y: {
            field: 'loss',
            type: 'quantitative',
            title: log ? 'loss (log scale)' : 'loss',
            scale: log ? { type: 'log' } : { zero: false },
            ...(log ? { axis: logAxis() } : {}),
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

/** One layer of a backend comparison.json: relative differences from the reference, per backend. */
export interface BackendDiffLayer {
  readonly layer: string;
  /** Drift: the largest relative difference of the kernel's or bias's gradient norm over all steps. */
  readonly maxRelDiff: Readonly<Record<string, number | null>>;
  /** Step 1 (same weights, same batch): the larger of the kernel's and the bias's. */
  readonly step1RelDiff?: Readonly<Record<string, number | null>>;
}

export interface BackendDiffOptions {
  /** How many steps the drift is the largest over (for the legend). */
  readonly steps?: number;
  /** The divergence tolerance, drawn as a dashed rule (none when absent). */
  readonly tolerance?: number;
}

const DIFF_LABEL = {
  zero: '0 (identical), bottom edge',
  'non-finite': 'NaN or Inf on one side only, top edge',
} as const;

/**
 * Per layer, each backend's relative difference of ||dL/dW|| from the reference backend, in two
 * measures side by side: at step 1 (solid; same weights, same batch: the backends' arithmetic)
 * and the largest over the run (pale; training drift, which amplifies step 1's). Bars grouped by
 * layer, one colour per backend, log scale; a difference of 0 (bit-identical) is a marker at the
 * bottom edge, an infinite one (null in comparison.json: a NaN or Infinity on one side only) at
 * the top. Null when there is nothing to draw.
 */
export function backendDiffSpec(
  layers: readonly BackendDiffLayer[],
  backends: readonly string[],
  o: BackendDiffOptions = {},
): TopLevelSpec | null {
  const step1 = 'step 1 (same weights, same batch)';
  const drift = o.steps ? `largest over ${o.steps} steps (drift)` : 'largest over the run (drift)';
  const measures = layers.some((l) => l.step1RelDiff) ? [step1, drift] : [drift];
  const series = backends.flatMap((b) => measures.map((m) => `${b}: ${m}`));
  const all = layers.flatMap((l) =>
    backends.flatMap((backend) =>
      measures.flatMap((measure) => {
        const map = measure === step1 ? l.step1RelDiff : l.maxRelDiff;
        if (!map || !(backend in map)) return [];
        const diff = map[backend] ?? null;
        const kind =
          diff === null || !Number.isFinite(diff) ? 'non-finite' : diff === 0 ? 'zero' : 'finite';
        return [{ layer: l.layer, backend, measure, series: `${backend}: ${measure}`, diff, kind }];
      }),
    ),
  );
  if (all.length === 0) return null;
  const bars = all.filter((v) => v.kind === 'finite');
  const kinds = (['zero', 'non-finite'] as const).filter((k) => all.some((v) => v.kind === k));
  const x = {
    field: 'layer',
    type: 'ordinal',
    sort: layers.map((l) => l.layer),
    title: 'layer',
  } as const;
  const xOffset = { field: 'series', type: 'nominal', sort: series } as const;
  const color = {
    field: 'backend',
    type: 'nominal',
    sort: [...backends],
    title: 'backend',
  } as const;
  const opacity = {
    field: 'measure',
    type: 'nominal',
    sort: measures,
    title: 'measure',
    scale: { domain: measures, range: measures.length === 2 ? [1, 0.4] : [1] },
    legend: { labelLimit: 0 },
  } as const;
  const tooltip = [
    { field: 'layer' },
    { field: 'backend' },
    { field: 'measure' },
    { field: 'diff', title: 'relative difference', format: '.3e' },
  ];
  const y = { type: 'quantitative', scale: { type: 'log' }, axis: logAxis() } as const;
  const edge = (k: 'zero' | 'non-finite') => {
    const values = all.filter((v) => v.kind === k).map((v) => ({ ...v, offScale: DIFF_LABEL[k] }));
    return values.length === 0
      ? []
      : [
          {
            name: k === 'zero' ? 'identical' : 'non_finite',
            data: { values },
            mark: { type: 'point', filled: true, size: 70 },
            encoding: {
              x,
              xOffset,
              y: k === 'zero' ? { value: 'height' } : { value: 0 },
              color,
              opacity,
              shape: {
                field: 'offScale',
                type: 'nominal',
                title: 'not on the log scale',
                legend: { labelLimit: 0 },
                scale: {
                  domain: kinds.map((kk) => DIFF_LABEL[kk]),
                  range: kinds.map((kk) => (kk === 'zero' ? 'triangle-down' : 'triangle-up')),
                },
              },
              tooltip: [
                { field: 'layer' },
                { field: 'backend' },
                { field: 'measure' },
                { field: 'offScale', title: 'relative difference' },
              ],
            },
          },
        ];
  };
  const rule =
    o.tolerance && bars.length > 0
      ? [{ tolerance: o.tolerance, label: `divergence tolerance ${sci(o.tolerance)}` }]
      : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Relative difference from the reference, by layer',
      subtitle:
        measures.length === 2
          ? "gradient norm; solid: step 1, the backends' arithmetic alone; pale: the largest over the run, where training amplifies it; log scale"
          : 'gradient norm, the largest over the run; log scale',
    },
    width: Math.max(320, Math.min(900, layers.length * 24 * Math.max(1, series.length))),
    height: 240,
    layer: [
      {
        name: 'diff_bars',
        data: { values: bars },
        mark: { type: 'bar' },
        encoding: {
          x,
          xOffset,
          // Stacked bars start at 0, which a log scale cannot show: the bars would have no height.
          y: { ...y, field: 'diff', stack: null, title: 'relative difference' },
          color,
          opacity,
          tooltip,
        },
      },
      ...edge('zero'),
      ...edge('non-finite'),
      ...(rule.length > 0
        ? [
            {
              name: 'tolerance',
              data: { values: rule },
              mark: { type: 'rule', strokeDash: [6, 4], color: '#b00020' },
              encoding: { y: { ...y, field: 'tolerance' } },
            },
            {
              name: 'tolerance_label',
              data: { values: rule },
              mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#b00020', fontSize: 10 },
              encoding: {
                y: { ...y, field: 'tolerance' },
                x: { value: 0 },
                text: { field: 'label' },
              },
            },
          ]
        : []),
    ],
  } as TopLevelSpec;
}
