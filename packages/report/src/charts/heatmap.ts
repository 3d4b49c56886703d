import type { NormKind, RunRecord } from '@gradlab/core';
import type { TopLevelSpec } from 'vega-lite';
import { layerNames, type MetricsRow } from '../data.js';
import { kindOf, markerOf, type OffScaleKind, presentKinds } from './off-scale.js';

/** The heatmap draws at most this many step columns. */
export const MAX_HEATMAP_COLUMNS = 200;

export interface HeatmapCell {
  readonly layer: string;
  /** First and last step of the column (equal when the column is one step). */
  readonly from: number;
  readonly to: number;
  /**
   * What the cell shows: 'finite' (coloured by log10Norm), or the kind of norm that has no
   * logarithm to colour by: 'zero', 'subnormal' (below float32's normal range) or 'non-finite'.
   */
  readonly kind: NormKind;
  /** Mean over the column's steps of log10 ||dL/dW|| (ordinary norms only); null when none. */
  readonly log10Norm: number | null;
  /** Steps of the column whose norm was 0, subnormal or non-finite. */
  readonly zeroSteps: number;
  readonly subnormalSteps: number;
  readonly nonFiniteSteps: number;
  /** The cell in words when it is not an ordinary measurement ("0 (exact)", "NaN"...), else ''. */
  readonly marker: string;
}

/** The legend's words for cells off the colour scale. */
const CELL_LABEL: Readonly<Record<OffScaleKind, string>> = {
  zero: '0 (exact)',
  subnormal: '<1.2e-38 (below float32)',
  'non-finite': 'NaN or Inf',
};

/**
 * One cell per layer and column. With more than `maxColumns` logged steps, consecutive steps are
 * grouped into `maxColumns` columns of (nearly) equal size, and a cell is the mean over its steps
 * of log10 ||dL/dW||. Norms without a logarithm are never dropped: a column with a NaN or
 * Infinity in it is 'non-finite' (a blow-up must show however briefly it lasted); one with no
 * ordinary norm is 'zero' (any step at 0) or 'subnormal'; the counts go with every cell.
 */
export function heatmapCells(
  rows: readonly MetricsRow[],
  maxColumns = MAX_HEATMAP_COLUMNS,
): HeatmapCell[] {
  const n = rows.length;
  const columns = Math.min(n, maxColumns);
  const cells: HeatmapCell[] = [];
  for (let c = 0; c < columns; c++) {
    const group = rows.slice(Math.floor((c * n) / columns), Math.floor(((c + 1) * n) / columns));
    const first = group[0];
    const last = group[group.length - 1];
    if (!first || !last) continue;
    const acc = new Map<
      string,
      { sum: number; count: number; counts: Record<OffScaleKind, number>; marker: string }
    >();
    for (const row of group) {
      for (const l of row.layers) {
        const a = acc.get(l.name) ?? {
          sum: 0,
          count: 0,
          counts: { zero: 0, subnormal: 0, 'non-finite': 0 },
          marker: '',
        };
        const kind = kindOf(l.gradNorm);
        if (kind === 'finite') {
          a.sum += Math.log10(l.gradNorm);
          a.count++;
        } else {
          a.counts[kind]++;
          a.marker = markerOf(l.gradNorm) ?? '';
        }
        acc.set(l.name, a);
      }
    }
    for (const [layer, { sum, count, counts, marker }] of acc) {
      const kind: NormKind =
        counts['non-finite'] > 0
          ? 'non-finite'
          : count > 0
            ? 'finite'
            : counts.zero > 0
              ? 'zero'
              : 'subnormal';
      const steps = group.length;
      const words =
        kind === 'finite'
          ? ''
          : steps === 1
            ? marker
            : `${CELL_LABEL[kind]} in ${counts[kind]} of ${steps} steps`;
      cells.push({
        layer,
        from: first.step,
        to: last.step,
        kind,
        log10Norm: count > 0 ? sum / count : null,
        zeroSteps: counts.zero,
        subnormalSteps: counts.subnormal,
        nonFiniteSteps: counts['non-finite'],
        marker: words,
      });
    }
  }
  return cells;
}

/** Colours of cells off the colour scale: none of them occurs in viridis. */
const OFF_SCALE_COLOUR: Readonly<Record<OffScaleKind, string>> = {
  zero: '#7f7f7f',
  subnormal: '#c994c7',
  'non-finite': '#d7191c',
};

/**
 * Heatmap of layer x step, input layer at the top. Colour: log10 ||dL/dW|| on a sequential scale
 * (viridis) whose domain is the data's own range, from the smallest to the largest cell rounded
 * out to whole decades: a 1e-30 gradient next to a 1e2 one is shown as it is, never clamped. Cells whose norm
 * has no logarithm (0, subnormal, NaN or Infinity) have colours of their own, in a second legend.
 */
export function heatmapSpec(record: RunRecord, maxColumns = MAX_HEATMAP_COLUMNS): TopLevelSpec {
  const layers = layerNames(record);
  const cells = heatmapCells(record.metrics, maxColumns).map((c) => ({
    ...c,
    end: c.to + 1, // a column spans [from, to + 1) on the step axis
    offScale: c.kind === 'finite' ? null : CELL_LABEL[c.kind],
  }));
  const kinds = presentKinds(cells.map((c) => c.kind));
  const logs = cells.flatMap((c) => (c.log10Norm === null ? [] : [c.log10Norm]));
  // The cells' own range, widened to whole decades: it covers every cell however far apart
  // (nothing is clamped), a one-decade range of healthy norms is not stretched over the whole
  // colour ramp, and a live chart keeps the same spec (and so only streams its data) until a
  // norm crosses into a new decade.
  const lo = logs.length > 0 ? Math.floor(Math.min(...logs)) : null;
  // + 0 turns Math.ceil's -0 (of -0.3) into 0, which the legend would print as "-0".
  const hi = logs.length > 0 ? Math.max(Math.ceil(Math.max(...logs)) + 0, (lo ?? 0) + 1) : null;
  const grouped = record.metrics.length > maxColumns;
  const cell = [
    { field: 'layer' },
    { field: 'from', title: 'from step' },
    { field: 'to', title: 'to step' },
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'log10 ||dL/dW|| by layer and step',
      subtitle: grouped
        ? `${record.metrics.length} steps drawn as ${maxColumns} columns (mean of log10 per column); colours span every cell's norm, in whole decades`
        : "colours span every cell's norm, in whole decades",
    },
    width: 640,
    height: Math.max(120, Math.min(600, layers.length * 18)),
    data: { values: cells },
    encoding: {
      x: {
        field: 'from',
        type: 'quantitative',
        title: 'step',
        scale: { zero: false, nice: false },
      },
      x2: { field: 'end' },
      y: { field: 'layer', type: 'ordinal', sort: layers, title: 'layer' },
    },
    layer: [
      {
        name: 'norm_cells',
        transform: [{ filter: "datum.kind === 'finite'" }],
        // No per-cell aria-label: 200 columns x many layers would make the page megabytes.
        mark: { type: 'rect', aria: false },
        encoding: {
          color: {
            field: 'log10Norm',
            type: 'quantitative',
            title: 'log10 ||dL/dW||',
            scale: {
              scheme: 'viridis',
              ...(lo !== null && hi !== null ? { domain: [lo, hi] } : {}),
              zero: false,
              nice: false,
            },
          },
          tooltip: [
            ...cell,
            { field: 'log10Norm', title: 'log10 ||dL/dW||', format: '.2f' },
            { field: 'zeroSteps', title: 'steps at 0' },
            { field: 'subnormalSteps', title: 'subnormal steps' },
          ],
        },
      },
      ...(kinds.length === 0
        ? []
        : [
            {
              name: 'off_scale_cells',
              transform: [{ filter: "datum.kind !== 'finite'" }],
              mark: { type: 'rect', aria: false },
              encoding: {
                color: {
                  field: 'offScale',
                  type: 'nominal',
                  title: 'no logarithm',
                  // Vega cuts legend labels at 160 px by default: these must be read whole.
                  legend: { labelLimit: 0 },
                  scale: {
                    domain: kinds.map((k) => CELL_LABEL[k]),
                    range: kinds.map((k) => OFF_SCALE_COLOUR[k]),
                  },
                },
                tooltip: [...cell, { field: 'marker', title: '||dL/dW||' }],
              },
            },
          ]),
    ],
    // Two colour legends: the continuous norm scale, and the kinds that have no logarithm.
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
