import type { RunRecord } from '@gradlab/core';
import { normKind, normMarker } from '@gradlab/core';
import {
  gradientFlowSpec,
  heatmapSpec,
  logAxis,
  lossSpec,
  signalSpec,
  unitHealthSpec,
} from '@gradlab/report/charts';
import type { TopLevelSpec } from 'vega-lite';

export type ChartId = 'flow' | 'heatmap' | 'loss' | 'health' | 'signal';
export const CHART_IDS: readonly ChartId[] = ['flow', 'heatmap', 'loss', 'health', 'signal'];

/** A Vega-Lite spec as plain JSON, to decorate. */
type Json = { [key: string]: unknown };
const asJson = (spec: TopLevelSpec): Json => spec as unknown as Json;
const asSpec = (json: Json): TopLevelSpec => json as unknown as TopLevelSpec;

const GHOST = { color: '#8a8a8a', strokeDash: [4, 3] } as const;

/** The largest number of points a ghost curve keeps (every k-th step). */
const GHOST_POINTS = 500;

function subtitled(spec: Json, line: string): Json {
  const title = spec.title;
  const text = typeof title === 'object' && title !== null ? (title as Json).text : title;
  const before = typeof title === 'object' && title !== null ? (title as Json).subtitle : undefined;
  return { ...spec, title: { text, subtitle: before ? [before as string, line] : line } };
}

/** Room kept free at the right of a chart: legends measure their labels a little short. */
const RIGHT_MARGIN = 16;

/**
 * The chart drawn to the width of its place on the page (axes and legend included), its title
 * and subtitle cut to that width rather than spilling over the edge. The title is centred on the
 * whole chart ("bounds"), not on its plot: centred on a plot narrowed by a legend and long axis
 * labels (the heatmap's), a subtitle wider than the plot ran off the chart's left edge.
 */
export function fitWidth(spec: TopLevelSpec, width: number): TopLevelSpec {
  const json = asJson(spec);
  const fitted = Math.max(160, Math.round(width - RIGHT_MARGIN));
  const title = json.title;
  const text = typeof title === 'object' && title !== null ? (title as Json) : { text: title };
  return asSpec({
    ...json,
    ...(title === undefined ? {} : { title: { ...text, limit: fitted, frame: 'bounds' } }),
    width: fitted,
    autosize: { type: 'fit-x', contains: 'padding' },
  });
}

/**
 * Fixes the step axis to the whole run, so that charts fill in from the left while it trains
 * instead of stretching at every step.
 */
export function withStepDomain(spec: TopLevelSpec, steps: number): TopLevelSpec {
  const visit = (node: Json): Json => {
    const out: Json = { ...node };
    const encoding = node.encoding as Json | undefined;
    const x = encoding?.x as Json | undefined;
    if (x && (x.field === 'step' || x.field === 'from')) {
      const end = x.field === 'from' ? steps + 1 : steps;
      out.encoding = {
        ...encoding,
        x: { ...x, scale: { ...(x.scale as Json | undefined), domain: [1, Math.max(2, end)] } },
      };
    }
    if (Array.isArray(node.layer)) out.layer = (node.layer as Json[]).map(visit);
    return out;
  };
  return asSpec(visit(asJson(spec)));
}

/**
 * The gradient-flow chart orders its colours by a list of step labels, which changes at every
 * step of a live run and so would rebuild the chart each time. Ordering by the step number, a
 * field of the data, gives the same order with a spec whose shape stays the same: the chart
 * then only streams its new values.
 */
export function withStepOrderInData(spec: TopLevelSpec): TopLevelSpec {
  const json = asJson(spec);
  const layers = (json.layer as Json[]).map((layer) => {
    const encoding = layer.encoding as Json | undefined;
    const color = encoding?.color as Json | undefined;
    if (color?.field !== 'step' || !Array.isArray(color.sort)) return layer;
    const values = ((layer.data as Json).values as Json[]).map((v) => ({
      ...v,
      stepNumber: Number(String(v.step).replace(/^step /, '')),
    }));
    return {
      ...layer,
      data: { values },
      encoding: { ...encoding, color: { ...color, sort: { field: 'stepNumber', op: 'min' } } },
    };
  });
  return asSpec({ ...json, layer: layers });
}

function lastFull(record: RunRecord) {
  return [...record.metrics].reverse().find((m) => m.full) ?? record.manifest.result.final;
}

/**
 * The previous run's gradient profile under this run's, grey and dashed. A layer whose norm the
 * log scale cannot place (0, subnormal, NaN/Inf; null in a record read from JSON) breaks the
 * line and is drawn as a hollow grey mark at the bottom (0, subnormal) or top (NaN/Inf) edge,
 * as the chart itself draws them: never silently joined over.
 */
export function withGhostFlow(spec: TopLevelSpec, ghost: RunRecord): TopLevelSpec {
  const step = lastFull(ghost);
  if (!step) return spec;
  const kinds = step.layers.map((l) =>
    typeof l.gradNorm === 'number' ? normKind(l.gradNorm) : 'non-finite',
  );
  const values = step.layers.map((l, i) => ({
    layer: l.name,
    gradNorm: kinds[i] === 'finite' ? l.gradNorm : null,
  }));
  const offScale = step.layers.flatMap((l, i) =>
    kinds[i] === 'finite'
      ? []
      : [
          {
            layer: l.name,
            edge: kinds[i] === 'non-finite' ? 'top' : 'bottom',
            marker: typeof l.gradNorm === 'number' ? normMarker(l.gradNorm) : 'NaN or Inf',
          },
        ],
  );
  const json = asJson(spec);
  const layers = json.layer as Json[];
  const x = ((layers[0]?.encoding as Json | undefined)?.x ?? {}) as Json;
  const ghostLayer = {
    name: 'ghost_flow',
    data: { values },
    mark: {
      type: 'line',
      ...GHOST,
      invalid: 'break-paths-filter-domains',
      point: { filled: false, color: GHOST.color },
    },
    encoding: {
      x,
      y: { field: 'gradNorm', type: 'quantitative', scale: { type: 'log' }, axis: logAxis() },
    },
  };
  const edgeLayers = (['bottom', 'top'] as const).flatMap((edge) => {
    const points = offScale.filter((p) => p.edge === edge);
    return points.length === 0
      ? []
      : [
          {
            name: `ghost_off_scale_${edge}`,
            data: { values: points },
            mark: { type: 'point', filled: false, color: GHOST.color, size: 90, shape: 'square' },
            encoding: {
              x,
              y: edge === 'bottom' ? { value: 'height' } : { value: 0 },
              tooltip: [{ field: 'layer' }, { field: 'marker', title: 'previous run' }],
            },
          },
        ];
  });
  return asSpec(
    subtitled(
      { ...json, layer: [ghostLayer, ...edgeLayers, ...layers] },
      `grey dashed: the previous run (${ghost.spec.name}) at step ${step.step}`,
    ),
  );
}

/** The previous run's loss curve behind this run's (raw and smoothed), on the same axis. */
export function withGhostLoss(spec: TopLevelSpec, ghost: RunRecord): TopLevelSpec {
  const json = asJson(spec);
  const layers = json.layer as Json[];
  // The loss curve, alone or in the group that shares its axis with the raw loss behind it.
  const holds = (l: Json) =>
    l.name === 'loss' ||
    (Array.isArray(l.layer) && (l.layer as Json[]).some((c) => c.name === 'loss'));
  const holder = layers.find(holds);
  if (!holder) return spec;
  const curves = Array.isArray(holder.layer) ? (holder.layer as Json[]) : [holder];
  const lossLayer = curves.find((c) => c.name === 'loss') as Json;
  const y = (lossLayer.encoding as Json).y as Json;
  const log = (y.scale as Json | undefined)?.type === 'log';
  const finite = ghost.metrics.filter((m) => Number.isFinite(m.loss) && (!log || m.loss > 0));
  const k = Math.max(1, Math.ceil(finite.length / GHOST_POINTS));
  const values = finite.filter((_, i) => i % k === 0).map((m) => ({ step: m.step, loss: m.loss }));
  const ghostLayer = {
    name: 'ghost_loss',
    data: { values },
    mark: { type: 'line', ...GHOST },
    encoding: {
      // The loss curve's own step axis, fixed domain included: a ghost without it widened the
      // shared axis to its nice bounds (0-160 for a 150-step run).
      x: (lossLayer.encoding as Json).x ?? { field: 'step', type: 'quantitative' },
      y: { field: 'loss', type: 'quantitative', ...(log ? { axis: logAxis() } : {}) },
    },
  };
  // One nested layer shares the loss axis between the curves; accuracy keeps its own.
  const group = Array.isArray(holder.layer)
    ? { ...holder, layer: [ghostLayer, ...curves] }
    : { layer: [ghostLayer, holder] };
  const merged = layers.map((l) => (l === holder ? group : l));
  return asSpec(
    subtitled({ ...json, layer: merged }, `grey dashed: the previous run (${ghost.spec.name})`),
  );
}

/** Legend rows that fit beside a plot of the unit-health chart's height (220 px, 13 px a row). */
const LEGEND_ROWS = 14;

/**
 * Lays a layer legend out in as many columns as it needs to stay beside the plot. In one column,
 * a legend taller than the plot runs past the bottom of the drawing and its last layers (those
 * of a 20-layer network's end: the output among them) were cut off.
 */
export function withLegendColumns(spec: TopLevelSpec, entries: number): TopLevelSpec {
  const columns = Math.max(1, Math.ceil(entries / LEGEND_ROWS));
  const visit = (node: Json): Json => {
    const out: Json = { ...node };
    const encoding = node.encoding as Json | undefined;
    const color = encoding?.color as Json | undefined;
    if (color?.field === 'layer') {
      const legend = { ...(color.legend as Json | undefined), columns, symbolLimit: 0 };
      out.encoding = { ...encoding, color: { ...color, legend } };
    }
    if (Array.isArray(node.layer)) out.layer = (node.layer as Json[]).map(visit);
    return out;
  };
  return asSpec(visit(asJson(spec)));
}

const layerCount = (record: RunRecord): number =>
  record.metrics[record.metrics.length - 1]?.layers.length ?? 0;

export interface LiveChartOptions {
  /** The run's planned steps: the width of every step axis. */
  readonly steps: number;
  /** The previous run, drawn behind this one; null for none. */
  readonly ghost: RunRecord | null;
}

/** Every chart of the page for a record (live or finished); null where a chart has nothing. */
export function liveChartSpecs(
  record: RunRecord,
  o: LiveChartOptions,
): Record<ChartId, TopLevelSpec | null> {
  if (record.metrics.length === 0) {
    return { flow: null, heatmap: null, loss: null, health: null, signal: null };
  }
  const flow = withStepOrderInData(gradientFlowSpec(record));
  const loss = withStepDomain(lossSpec(record), o.steps);
  const health = unitHealthSpec(record);
  return {
    flow: o.ghost ? withGhostFlow(flow, o.ghost) : flow,
    heatmap: withStepDomain(heatmapSpec(record), o.steps),
    loss: o.ghost ? withGhostLoss(loss, o.ghost) : loss,
    health: health && withLegendColumns(withStepDomain(health, o.steps), layerCount(record)),
    signal: signalSpec(record),
  };
}
