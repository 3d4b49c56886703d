import type { RunRecord } from '@gradlab/core';
import { parseSpec, runExperiment } from '@gradlab/core';
import { renderSvg } from '@gradlab/report';
import { LOG_AXIS_FORMAT, logScaleFormats, lossSpec } from '@gradlab/report/charts';
import { TEST_CPU_BACKEND, useCpu } from '@gradlab/testkit/helpers';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { beforeAll, describe, expect, test } from 'vitest';
import { createLiveRecord } from '../run/live-record.js';
import { liveTensors, smallSpec, testEnvironment } from '../run/test-support.js';
import {
  fitWidth,
  liveChartSpecs,
  withGhostFlow,
  withGhostLoss,
  withLegendColumns,
  withStepDomain,
} from './live-specs.js';

type Json = { [key: string]: unknown };

async function recordOf(spec = smallSpec(6)): Promise<RunRecord> {
  const live = createLiveRecord(spec, TEST_CPU_BACKEND, testEnvironment);
  await runExperiment(spec, { listeners: [live.listener] });
  return live.finished() as RunRecord;
}

let current: RunRecord;
let ghost: RunRecord;
beforeAll(async () => {
  await useCpu();
  const tensors = liveTensors();
  current = await recordOf();
  // A different network (ReLU), as after toggling a mitigation.
  const relu = smallSpec(4);
  ghost = await recordOf(
    parseSpec({ ...relu, name: 'small+relu', model: { ...relu.model, activation: 'relu' } }),
  );
  expect(liveTensors()).toBe(tensors);
});

/** A scenegraph node of a headless vega view: marks hold items, group items hold marks. */
interface SceneNode {
  readonly role?: string;
  readonly text?: string;
  readonly bounds?: { readonly y2: number };
  readonly items?: readonly SceneNode[];
}

const sceneNodes = (node: SceneNode): SceneNode[] => [
  node,
  ...(node.items ?? []).flatMap(sceneNodes),
];

/** The plot's height, and the legend's bottom edge and labels, as vega lays the chart out. */
async function legendLayout(spec: never) {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    await view.runAsync();
    const root = (view.scenegraph() as unknown as { root: SceneNode }).root;
    const frame = root.items?.[0] as SceneNode;
    const legend = frame.items?.find((m) => m.role === 'legend')?.items?.[0] as SceneNode;
    const labels = sceneNodes(legend)
      .filter((n) => n.role === 'legend-label')
      .flatMap((m) => (m.items ?? []).map((i) => i.text));
    return { plotHeight: view.height(), legendBottom: legend.bounds?.y2 ?? 0, labels };
  } finally {
    view.finalize();
  }
}

const xDomains = (node: Json): unknown[] => [
  ...((((node.encoding as Json | undefined)?.x as Json | undefined)?.scale as Json | undefined)
    ?.domain
    ? [(((node.encoding as Json).x as Json).scale as Json).domain]
    : []),
  ...((node.layer as Json[] | undefined) ?? []).flatMap(xDomains),
];

describe('the live charts', () => {
  test('every chart of a run compiles and draws; the signal chart is for recurrent runs only', async () => {
    const specs = liveChartSpecs(current, { steps: 10, ghost: null });
    expect(specs.signal).toBeNull();
    for (const id of ['flow', 'heatmap', 'loss', 'health'] as const) {
      const spec = specs[id];
      expect(spec, id).not.toBeNull();
      expect((await renderSvg(spec as never)).startsWith('<svg')).toBe(true);
    }
  });

  test('no steps yet: no charts', () => {
    const empty = { ...current, metrics: [] };
    expect(Object.values(liveChartSpecs(empty, { steps: 10, ghost: null }))).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  test('step axes span the whole planned run, nested layers included', () => {
    const specs = liveChartSpecs(current, { steps: 50, ghost });
    expect(xDomains(specs.heatmap as unknown as Json)).toEqual([[1, 51]]);
    // The ghost's loss curve too: without a domain it widened the shared axis to 0-60.
    // Ghost, raw and smoothed loss.
    expect(xDomains(specs.loss as unknown as Json)).toEqual([
      [1, 50],
      [1, 50],
      [1, 50],
    ]);
    expect(xDomains(specs.health as unknown as Json)).toEqual([[1, 50]]);
  });

  test('the previous run is drawn behind the gradient flow: its last full step, grey and dashed', async () => {
    const spec = withGhostFlow(
      liveChartSpecs(current, { steps: 6, ghost: null }).flow as never,
      ghost,
    ) as unknown as Json;
    const layers = spec.layer as Json[];
    expect(layers[0]?.name).toBe('ghost_flow');
    const last = ghost.metrics[ghost.metrics.length - 1];
    expect(((layers[0] as Json).data as Json).values).toEqual(
      last?.layers.map((l) => ({ layer: l.name, gradNorm: l.gradNorm })),
    );
    expect(last?.layers.every((l) => l.gradNorm > 0)).toBe(true);
    expect(JSON.stringify(spec.title)).toContain('the previous run (small+relu) at step 4');
    expect(await renderSvg(spec as never)).toContain('previous run (small+relu)');
  });

  test('a previous layer of norm 0 or NaN breaks the ghost line and is marked at the edge', async () => {
    const last = ghost.metrics[ghost.metrics.length - 1] as RunRecord['metrics'][number];
    const layers = last.layers.map((l, i) =>
      i === 0 ? { ...l, gradNorm: 0 } : i === 1 ? { ...l, gradNorm: Number.NaN } : l,
    );
    const broken = { ...ghost, metrics: [...ghost.metrics.slice(0, -1), { ...last, layers }] };
    const spec = withGhostFlow(
      liveChartSpecs(current, { steps: 6, ghost: null }).flow as never,
      broken,
    ) as unknown as Json;
    const byName = new Map((spec.layer as Json[]).map((l) => [l.name, l]));
    const line = ((byName.get('ghost_flow') as Json).data as Json).values as Json[];
    expect(line.slice(0, 2).map((v) => v.gradNorm)).toEqual([null, null]);
    const edge = (name: string) => ((byName.get(name) as Json).data as Json).values as Json[];
    expect(edge('ghost_off_scale_bottom')).toEqual([
      { layer: layers[0]?.name, edge: 'bottom', marker: '0 (exact)' },
    ]);
    expect(edge('ghost_off_scale_top')).toEqual([
      { layer: layers[1]?.name, edge: 'top', marker: 'NaN' },
    ]);
    expect(await renderSvg(spec as never)).toContain('<svg');
  });

  test('the previous loss shares the loss axis', async () => {
    const spec = withGhostLoss(
      liveChartSpecs(current, { steps: 6, ghost: null }).loss as never,
      ghost,
    ) as unknown as Json;
    const nested = (spec.layer as Json[])[0]?.layer as Json[];
    expect(nested.map((l) => l.name)).toEqual(['ghost_loss', 'loss_raw', 'loss']);
    expect((((nested[0] as Json).data as Json).values as unknown[]).length).toBe(4);
    expect(compile(spec as never).spec).toBeTruthy();
    expect(await renderSvg(spec as never)).toContain('<svg');
  });

  test("every log axis, the ghosts included, labels its ticks in the report's one format", () => {
    const specs = liveChartSpecs(current, { steps: 6, ghost });
    const logged = withGhostLoss(lossSpec(current, { logScale: true }), ghost);
    const scales = [...Object.values(specs), logged].flatMap((spec) => logScaleFormats(spec));
    // The flow and its ghost, the loss and its ghost at least.
    expect(scales.length).toBeGreaterThanOrEqual(4);
    expect(scales.filter((s) => s.path.includes('ghost')).length).toBeGreaterThanOrEqual(1);
    for (const s of scales) expect(s.format, s.path).toBe(LOG_AXIS_FORMAT);
  });

  test('the flow orders its steps by number, so its shape holds while the run goes on', async () => {
    const early = { ...current, metrics: current.metrics.slice(0, 3) };
    const a = liveChartSpecs(early, { steps: 6, ghost: null }).flow as unknown as Json;
    const b = liveChartSpecs(current, { steps: 6, ghost: null }).flow as unknown as Json;
    const shape = (j: Json) => JSON.stringify(j, (k, v) => (k === 'values' ? null : v));
    expect(shape(a)).toBe(shape(b));
    const first = (b.layer as Json[])[0] as Json;
    const colour = (first.encoding as Json).color as Json;
    expect(colour.sort).toEqual({ field: 'stepNumber', op: 'min' });
    const steps = (first.data as Json).values as Json[];
    expect(new Set(steps.map((v) => v.stepNumber))).toEqual(new Set([1, 3, 6]));
    expect(await renderSvg(b as never)).toContain('step 6');
  });

  test('fitWidth sizes the chart and its title to its place, with a floor', () => {
    const spec = liveChartSpecs(current, { steps: 6, ghost: null }).flow as never;
    const fitted = fitWidth(spec, 528.4) as unknown as Json;
    expect(fitted).toMatchObject({ width: 512, autosize: { type: 'fit-x', contains: 'padding' } });
    // Centred on the whole chart: on the plot alone, a long subtitle ran off the left edge.
    expect(fitted.title).toMatchObject({
      text: 'Gradient flow: ||dL/dW|| per layer',
      limit: 512,
      frame: 'bounds',
    });
    expect(fitWidth(spec, 20)).toMatchObject({ width: 160 });
    const loss = liveChartSpecs(current, { steps: 6, ghost: null }).loss as never;
    expect((fitWidth(loss, 400) as unknown as Json).title).toMatchObject({
      text: 'Loss',
      limit: 384,
      frame: 'bounds',
    });
    expect(withStepDomain(spec, 9)).toEqual(spec); // no step axis in the gradient flow
  });

  test('a deep network keeps every layer in the unit-health legend, beside the plot', async () => {
    const tensors = liveTensors();
    const small = smallSpec(2);
    const deep = await recordOf(
      parseSpec({
        ...small,
        model: { ...small.model, depth: 22, width: 4 },
        diagnostics: { every: 1 },
      }),
    );
    expect(liveTensors()).toBe(tensors);
    const spec = fitWidth(liveChartSpecs(deep, { steps: 2, ghost: null }).health as never, 500);
    const layout = await legendLayout(spec as never);
    // In one column the legend ran past the bottom of the drawing, which cut its last layers off.
    expect(layout.legendBottom).toBeLessThanOrEqual(layout.plotHeight);
    const drawn = deep.metrics[0]?.layers.filter((l) => Number.isFinite(l.saturation)) ?? [];
    expect(drawn.length).toBeGreaterThan(20);
    expect([...layout.labels].sort()).toEqual(drawn.map((l) => l.name).sort());
    // A short legend stays in one column.
    const shallow = withLegendColumns(
      liveChartSpecs(current, { steps: 6, ghost: null }).health as never,
      4,
    );
    expect(JSON.stringify(shallow)).toContain('"columns":1');
  });
});
