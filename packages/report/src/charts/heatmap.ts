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
  /** Mean of log10 ||dL/dW|| over the column's steps (the geometric mean's exponent). */
  readonly log10Norm: number;
}

/**
 * Downsampling: with more than `maxColumns` logged steps, consecutive steps are grouped into
 * `maxColumns` columns of (nearly) equal size, and each cell is the mean of log10 of the
 * gradient norm over its steps. Norms of 0 or non-finite have no logarithm: they are left out
 * of the mean, and a cell with none left is not drawn (it shows as a blank).
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
      for (const l of row.layers) {
        const acc = sums.get(l.name) ?? { sum: 0, count: 0 };
        if (loggable(l.gradNorm)) {
          acc.sum += Math.log10(l.gradNorm);
          acc.count++;
        }
        sums.set(l.name, acc);
      }
    }
    for (const [layer, { sum, count }] of sums) {
      if (count > 0) cells.push({ layer, from: first.step, to: last.step, log10Norm: sum / count });
    }
  }
  return cells;
}

/** Heatmap of layer x step, colour = log10 ||dL/dW||; input layer at the top. */
export function heatmapSpec(record: RunRecord, maxColumns = MAX_HEATMAP_COLUMNS): TopLevelSpec {
  const layers = layerNames(record);
  const cells = heatmapCells(record.metrics, maxColumns).map((c) => ({
    ...c,
    end: c.to + 1, // a column spans [from, to + 1) on the step axis
  }));
  const grouped = record.metrics.length > maxColumns;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'log10 ||dL/dW|| by layer and step',
      subtitle: grouped
        ? `${record.metrics.length} steps drawn as ${maxColumns} columns (mean of log10 per column); blank: 0 or non-finite`
        : 'blank: gradient norm 0 or non-finite',
    },
    width: 640,
    height: Math.max(120, Math.min(600, layers.length * 18)),
    data: { values: cells },
    mark: 'rect',
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
        field: 'log10Norm',
        type: 'quantitative',
        title: 'log10 norm',
        scale: { scheme: 'viridis' },
      },
      tooltip: [
        { field: 'layer' },
        { field: 'from', title: 'from step' },
        { field: 'to', title: 'to step' },
        { field: 'log10Norm', format: '.2f' },
      ],
    },
  } as TopLevelSpec;
}
