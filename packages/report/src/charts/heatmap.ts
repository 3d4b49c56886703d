import type { RunRecord } from '@gradlab/core/node';
import type { TopLevelSpec } from 'vega-lite';
import { layerNames, loggable, type MetricsRow } from '../data.js';

/** The heatmap draws at most this many step columns. */
export const MAX_HEATMAP_COLUMNS = 200;

export interface HeatmapCell {
  readonly layer: string;
  /** First and last step of the column (equal when the column is one step). */
  readonly from: number;
  readonly to: number;
  /**
   * Mean over the column's steps of log10(||dL/dW|| / the last layer's ||dL/dW|| at that step):
   * 0 = the same as the last layer, negative = smaller (towards vanishing), positive = larger.
   */
  readonly log10Ratio: number;
}

/**
 * Downsampling: with more than `maxColumns` logged steps, consecutive steps are grouped into
 * `maxColumns` columns of (nearly) equal size, and each cell is the mean over its steps of log10
 * of the gradient norm over the last layer's at the same step. Norms (of the layer or of the
 * last layer) of 0 or non-finite have no logarithm: those steps are left out of the mean, and a
 * cell with none left is not drawn (it shows as a blank).
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
    const sums = new Map<string, { sum: number; count: number }>();
    for (const row of group) {
      const ref = row.layers[row.layers.length - 1]?.gradNorm;
      for (const l of row.layers) {
        const acc = sums.get(l.name) ?? { sum: 0, count: 0 };
        if (loggable(l.gradNorm) && loggable(ref)) {
          acc.sum += Math.log10(l.gradNorm / ref);
          acc.count++;
        }
        sums.set(l.name, acc);
      }
    }
    for (const [layer, { sum, count }] of sums) {
      if (count > 0)
        cells.push({ layer, from: first.step, to: last.step, log10Ratio: sum / count });
    }
  }
  return cells;
}

/**
 * Heatmap of layer x step, input layer at the top. Colour: a diverging scale centred on the
 * healthy band, log10 of the layer's gradient norm over the last layer's at that step (0, white:
 * the same as the last layer), clamped to the logs of the vanishing and exploding ratio
 * thresholds (-3..+3 by default): vanishing reads blue, exploding red.
 */
export function heatmapSpec(record: RunRecord, maxColumns = MAX_HEATMAP_COLUMNS): TopLevelSpec {
  const layers = layerNames(record);
  const t = record.spec.diagnostics.thresholds;
  const lo = Math.log10(t.vanishingRatio);
  const hi = Math.log10(t.explodingRatio);
  const cells = heatmapCells(record.metrics, maxColumns).map((c) => ({
    ...c,
    end: c.to + 1, // a column spans [from, to + 1) on the step axis
  }));
  const grouped = record.metrics.length > maxColumns;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: "log10 of ||dL/dW|| over the last layer's, by layer and step",
      subtitle: grouped
        ? `${record.metrics.length} steps drawn as ${maxColumns} columns (mean of log10 per column); blue: vanishing, red: exploding; blank: 0 or non-finite`
        : 'blue: towards vanishing, red: towards exploding; blank: gradient norm 0 or non-finite',
    },
    width: 640,
    height: Math.max(120, Math.min(600, layers.length * 18)),
    data: { values: cells },
    // No per-cell aria-label: 200 columns x many layers would make the page megabytes.
    mark: { type: 'rect', aria: false },
    encoding: {
      x: {
        field: 'from',
        type: 'quantitative',
        title: 'step',
        scale: { zero: false, nice: false },
      },
      x2: { field: 'end' },
      y: { field: 'layer', type: 'ordinal', sort: layers, title: 'layer' },
      color: {
        field: 'log10Ratio',
        type: 'quantitative',
        title: 'log10 ratio to last',
        scale: {
          type: 'linear',
          domain: [lo, 0, hi],
          range: ['#1f5fbf', '#f7f7f7', '#c0392b'],
          clamp: true,
        },
      },
      tooltip: [
        { field: 'layer' },
        { field: 'from', title: 'from step' },
        { field: 'to', title: 'to step' },
        { field: 'log10Ratio', format: '.2f' },
      ],
    },
  } as TopLevelSpec;
}
