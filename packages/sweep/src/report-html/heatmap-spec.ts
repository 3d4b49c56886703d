import type { TopLevelSpec } from '@gradlab/report';
import type { SweepEntry } from '../sweep-file.js';
import {
  type GroupFigure,
  type GroupVerdict,
  groupFigure,
  groupVerdict,
  type SeedGroup,
} from './aggregate.js';
import { type ReportAxis, valueKey, valueLabel } from './axes.js';
import { longText, shortText } from './figure-text.js';
import { NUMERIC_MEASURES, type SweepMeasure, VERDICT_COLOUR } from './measures.js';
import type { SweepOverlay } from './overlay.js';
import { categoryPosition } from './overlay-position.js';

/** Labels and colours of cells that have no place on a numeric colour scale. */
const OFF_SCALE = {
  'non-finite': { label: 'NaN or Inf', colour: '#d7191c', dark: true },
  zero: { label: '0 or below (no log)', colour: '#7f7f7f', dark: true },
  failed: { label: 'failed: no result', colour: '#525252', dark: true },
  pending: { label: 'pending: no result yet', colour: '#e0e0e0', dark: false },
  'not measured': { label: 'not measured', colour: '#ffffff', dark: false },
} as const;
type OffScale = keyof typeof OFF_SCALE;

function offScaleOf(f: GroupFigure | GroupVerdict): OffScale | null {
  if (f.kind === 'no result') return f.status;
  if (f.kind === 'non-finite' || f.kind === 'not measured') return f.kind;
  return null;
}

/** The colour scale's domain for a numeric measure, shared by every facet so they compare. */
export type ColourDomain = readonly [number, number] | null;

/** The value a numeric cell is coloured by: log10 of the mean for ratios; null if it has none. */
function colourValue(f: GroupFigure, log: boolean): number | null {
  if (f.kind !== 'finite') return null;
  if (!log) return f.mean;
  return f.mean > 0 ? Math.log10(f.mean) : null;
}

/**
 * The colour domain over every group: whole decades for log measures (as the run report's
 * heatmap: nothing is clamped, and a narrow range is not stretched over the whole ramp), [0, 1]
 * for accuracy, the data's range otherwise; null when no group has a value.
 */
export function colourDomain(groups: readonly SeedGroup[], measure: SweepMeasure): ColourDomain {
  if (measure === 'verdict') return null;
  const m = NUMERIC_MEASURES[measure];
  if (measure === 'accuracy') return [0, 1];
  const values = groups.flatMap((g) => {
    const v = colourValue(groupFigure(g, m), m.log);
    return v === null ? [] : [v];
  });
  if (values.length === 0) return null;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (m.log) return [Math.floor(lo), Math.max(Math.ceil(hi) + 0, Math.floor(lo) + 1)];
  return lo === hi ? [lo - Math.abs(lo) / 2 - 1e-9, hi + Math.abs(hi) / 2 + 1e-9] : [lo, hi];
}

/** The report page of a group: its first seed's that has a record, relative to the sweep. */
export function groupHref(entries: readonly SweepEntry[]): string | null {
  const run = entries.find((e) => e.run !== null)?.run;
  return run ? `${run}/report.html` : null;
}

/** An axis drawn as categories at 0..n-1 on a linear scale, so that overlays can sit between. */
function categoryAxis(axis: ReportAxis | null) {
  const labels = axis ? axis.values.map(valueLabel) : [''];
  const n = labels.length;
  return {
    n,
    indexOf: (v: unknown) => (axis ? axis.values.findIndex((a) => valueKey(a) === valueKey(v)) : 0),
    encoding: {
      type: 'quantitative',
      title: axis?.name ?? null,
      scale: { domain: [-0.5, n - 0.5], nice: false, zero: false },
      axis: {
        values: labels.map((_, i) => i),
        labelExpr: `${JSON.stringify(labels)}[datum.value]`,
        grid: false,
        ...(axis ? {} : { labels: false, ticks: false }),
      },
    },
  };
}

export interface HeatmapInput {
  readonly measure: SweepMeasure;
  readonly x: ReportAxis | null;
  readonly y: ReportAxis | null;
  /** The groups of this facet. */
  readonly groups: readonly SeedGroup[];
  readonly domain: ColourDomain;
  /** Overlays whose axes are this heatmap's (in either order). */
  readonly overlays: readonly SweepOverlay[];
}

/** The overlays that can be drawn on a heatmap of x by y: same axes, both numeric. */
export function matchingOverlays(
  overlays: readonly SweepOverlay[],
  x: ReportAxis | null,
  y: ReportAxis | null,
): SweepOverlay[] {
  if (!x?.numeric || !y?.numeric) return [];
  return overlays.filter(
    (o) => (o.x === x.name && o.y === y.name) || (o.x === y.name && o.y === x.name),
  );
}

/** The overlays' points in the heatmap's category units, swapped where drawn the other way. */
function overlayPoints(overlays: readonly SweepOverlay[], x: ReportAxis, y: ReportAxis) {
  const centres = (a: ReportAxis) => a.values as readonly number[];
  return overlays.flatMap((o) =>
    o.points.flatMap((p, i) => {
      const [px, py] = o.x === x.name ? [p.x, p.y] : [p.y, p.x];
      if (!Number.isFinite(px) || !Number.isFinite(py)) return [];
      return [
        {
          overlay: o.label,
          order: i,
          px: categoryPosition(centres(x), px),
          py: categoryPosition(centres(y), py),
        },
      ];
    }),
  );
}

/**
 * One facet's heatmap: a rect per group of seeds, coloured by the measure (verdicts in their
 * own colours; numbers on viridis, log10 for ratios), cells without a number in colours of
 * their own and labelled in the cell, each linked to its first seed's report, and the overlays
 * as black lines told apart by their dash.
 */
export function sweepHeatmapSpec(input: HeatmapInput): TopLevelSpec {
  const { measure, domain } = input;
  const xs = categoryAxis(input.x);
  const ys = categoryAxis(input.y);
  const numeric = measure === 'verdict' ? null : NUMERIC_MEASURES[measure];
  const cells = input.groups.map((g) => {
    const f = numeric ? groupFigure(g, numeric) : groupVerdict(g);
    const off = offScaleOf(f);
    const value = numeric && f.kind === 'finite' ? colourValue(f, numeric.log) : null;
    const scaled = off === null && numeric !== null && value === null ? 'zero' : off;
    const i = xs.indexOf(input.x ? g.params[input.x.name] : undefined);
    const j = ys.indexOf(input.y ? g.params[input.y.name] : undefined);
    const t = value !== null && domain ? (value - domain[0]) / (domain[1] - domain[0] || 1) : 1;
    const label = [
      input.x ? `${input.x.name} = ${valueLabel(g.params[input.x.name])}` : '',
      input.y ? `${input.y.name} = ${valueLabel(g.params[input.y.name])}` : '',
      `${numeric?.title ?? 'verdict'}: ${longText(f)}`,
      `seeds: ${g.entries.length}`,
    ].filter(Boolean);
    return {
      x0: i - 0.5,
      x1: i + 0.5,
      y0: j - 0.5,
      y1: j + 0.5,
      value,
      category: scaled ? OFF_SCALE[scaled].label : f.kind === 'verdict' ? f.verdict : null,
      // Text colour: white on the dark end of viridis, the verdict colours and the dark greys.
      dark: scaled ? OFF_SCALE[scaled].dark : numeric ? t < 0.55 : true,
      short: shortText(f),
      description: label.join('; '),
      // '' (not null, which vega would write as the link "null"): no link without a record.
      href: groupHref(g.entries) ?? '',
    };
  });
  const x = { field: 'x0', ...xs.encoding };
  const y = { field: 'y0', ...ys.encoding };
  const box = { x, x2: { field: 'x1' }, y, y2: { field: 'y1' } };
  const link = { href: { field: 'href' }, description: { field: 'description' } };
  const categories = [...new Set(cells.flatMap((c) => (c.category ? [c.category] : [])))];
  const colourOf = (c: string) =>
    VERDICT_COLOUR[c as keyof typeof VERDICT_COLOUR] ??
    Object.values(OFF_SCALE).find((o) => o.label === c)?.colour ??
    '#000000';
  const categoryLayer = {
    name: numeric ? 'off_scale_cells' : 'verdict_cells',
    transform: [{ filter: 'datum.category !== null' }],
    mark: { type: 'rect', stroke: '#bdbdbd', strokeWidth: 0.5 },
    encoding: {
      ...box,
      ...link,
      color: {
        field: 'category',
        type: 'nominal',
        title: numeric ? 'no number' : 'verdict (worst seed)',
        legend: { labelLimit: 0 },
        scale: { domain: categories, range: categories.map(colourOf) },
      },
    },
  };
  const valueLayer = numeric && {
    name: 'value_cells',
    transform: [{ filter: 'datum.value !== null' }],
    mark: { type: 'rect' },
    encoding: {
      ...box,
      ...link,
      color: {
        field: 'value',
        type: 'quantitative',
        title: numeric.log ? 'log10 of mean' : 'mean',
        scale: {
          scheme: 'viridis',
          ...(domain ? { domain: [...domain] } : {}),
          zero: false,
          nice: false,
        },
      },
    },
  };
  const textLayer = {
    name: 'cell_text',
    mark: { type: 'text', fontSize: 10, aria: false },
    encoding: {
      x: { ...x, field: 'mid_x' },
      y: { ...y, field: 'mid_y' },
      text: { field: 'short' },
      color: { condition: { test: 'datum.dark', value: 'white' }, value: 'black' },
    },
    transform: [
      { calculate: '(datum.x0 + datum.x1) / 2', as: 'mid_x' },
      { calculate: '(datum.y0 + datum.y1) / 2', as: 'mid_y' },
    ],
  };
  const points = input.x && input.y ? overlayPoints(input.overlays, input.x, input.y) : [];
  const overlayLayer = points.length > 0 && {
    name: 'overlays',
    data: { values: points },
    mark: { type: 'line', color: 'black', strokeWidth: 2, clip: true },
    encoding: {
      x: { field: 'px', ...xs.encoding },
      y: { field: 'py', ...ys.encoding },
      order: { field: 'order' },
      strokeDash: {
        field: 'overlay',
        type: 'nominal',
        title: 'overlays',
        legend: { labelLimit: 0 },
      },
    },
  };
  const cellSize = Math.max(40, Math.min(90, Math.floor(560 / xs.n)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: cellSize * xs.n,
    height: 36 * ys.n,
    data: { values: cells },
    layer: [
      ...(valueLayer ? [valueLayer] : []),
      ...(categories.length > 0 ? [categoryLayer] : []),
      textLayer,
      ...(overlayLayer ? [overlayLayer] : []),
    ],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
