import type { RunRecord } from '@gradlab/core';
import { FLOAT32_MIN_NORMAL } from '@gradlab/core';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { syntheticRecord } from '../test-support.js';
import { renderSvg } from '../vega.js';
import { gradientFlowSpec } from './gradient-flow.js';
import { heatmapCells, heatmapSpec } from './heatmap.js';
import { lossSpec } from './loss.js';
import { signalSpec } from './signal.js';

/** The items (paths, lines, texts) of every mark group whose class names `name`. */
function items(svg: string, name: string): number {
  const groups = [
    ...svg.matchAll(new RegExp(`<g class="mark-[a-z]+ role-mark ${name}"[^>]*>(.*?)</g>`, 'gs')),
  ];
  return groups.reduce((n, g) => n + (g[1]?.match(/<(path|line|text)\b/g)?.length ?? 0), 0);
}

/** The aria-labels of the items of the mark group `name` (vega lists each item's fields). */
function labels(svg: string, name: string): string[] {
  const group = svg.match(
    new RegExp(`<g class="mark-[a-z]+ role-mark ${name}"[^>]*>(.*?)</g>`, 's'),
  )?.[1];
  return [...(group ?? '').matchAll(/aria-label="([^"]*)"/g)].map((m) =>
    (m[1] as string).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  );
}

/** The domain vega computes for a scale of the compiled spec, as it draws it. */
async function scaleDomain(spec: TopLevelSpec, scale: string): Promise<unknown[]> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    await view.runAsync();
    return view.scale(scale).domain() as unknown[];
  } finally {
    view.finalize();
  }
}

/** Sets a layer's gradient norm at a step (0-based indices); null is how JSON writes NaN. */
function setNorm(record: RunRecord, step: number, layer: number, value: number | null): void {
  (record.metrics[step]?.layers[layer] as { gradNorm: number | null }).gradNorm = value;
}

type Layered = { layer: { name: string; data?: { values: Record<string, unknown>[] } }[] };
const layerValues = (spec: TopLevelSpec, name: string) =>
  (spec as unknown as Layered).layer.find((l) => l.name === name)?.data?.values ?? [];

describe('gradient flow', () => {
  it('draws one point per layer for the first, middle and last steps, and both thresholds', async () => {
    const svg = await renderSvg(gradientFlowSpec(syntheticRecord({ layers: 5, steps: 10 })));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(items(svg, 'flow_points_marks')).toBe(3 * 5);
    expect(items(svg, 'flow_lines_marks')).toBe(3);
    expect(items(svg, 'thresholds_marks')).toBe(2);
    expect(svg).toContain('vanishing (step 10)');
    expect(svg).toContain('exploding (step 10)');
    for (const s of ['step 1', 'step 5', 'step 10']) expect(svg).toContain(s);
    // Input layer on the left: dense1's axis label comes before output's.
    expect(svg.indexOf('>dense1<')).toBeGreaterThan(-1);
    expect(svg.indexOf('>dense1<')).toBeLessThan(svg.indexOf('>output<'));
  });

  it('puts the thresholds relative to the last layer, as the verdicts judge them', () => {
    const record = syntheticRecord({ layers: 3, steps: 2 });
    const spec = gradientFlowSpec(record) as unknown as {
      layer: { name: string; data: { values: { value: number }[] } }[];
    };
    const rules = spec.layer.find((l) => l.name === 'thresholds')?.data.values;
    // last layer 0.5: max(1e-3 * 0.5, 1e-8) and min(1e3 * 0.5, 1e3)
    expect(rules?.map((r) => r.value)).toEqual([5e-4, 500]);
  });

  it('draws 0 and subnormal norms at the bottom edge and NaN/Inf at the top, never drops them', async () => {
    const record = syntheticRecord({ layers: 4, steps: 3 });
    for (let s = 0; s < 3; s++) setNorm(record, s, 0, 0);
    setNorm(record, 2, 1, FLOAT32_MIN_NORMAL / 4);
    setNorm(record, 2, 2, null); // a NaN, as a record read from JSON holds it
    const spec = gradientFlowSpec(record);
    const svg = await renderSvg(spec);
    // 12 points in all: 7 on the log scale, 5 at the edges.
    expect(items(svg, 'flow_points_marks')).toBe(12 - 5);
    expect(items(svg, 'off_scale_bottom_marks')).toBe(4);
    expect(items(svg, 'off_scale_top_marks')).toBe(1);
    // Each point says what it is (normMarker's words) to a tooltip and to screen readers.
    expect(labels(svg, 'off_scale_bottom_marks')).toContain(
      'layer: dense2; step: step 3; not on the log scale: <1.2e-38 (below float32), bottom edge; gradient norm: <1.2e-38 (below float32)',
    );
    expect(labels(svg, 'off_scale_top_marks')).toEqual([
      'layer: dense3; step: step 3; not on the log scale: NaN or Inf, top edge; gradient norm: NaN or Inf (null in the record)',
    ]);
    expect(layerValues(spec, 'off_scale_bottom').map((v) => v.kind)).toEqual([
      'zero',
      'zero',
      'zero',
      'subnormal',
    ]);
    // The bottom edge is the plot's bottom, 260 px down; the top edge is 0.
    const bottom = svg.match(
      /off_scale_bottom_marks"[^>]*><path[^>]*transform="translate\([\d.]+,([\d.]+)\)"/,
    );
    expect(Number(bottom?.[1])).toBe(260);
    const top = svg.match(
      /off_scale_top_marks"[^>]*><path[^>]*transform="translate\([\d.]+,([\d.]+)\)"/,
    );
    expect(Number(top?.[1])).toBe(0);
    // The legend explains each shape, with normMarker's words.
    for (const entry of [
      '0 (exact), bottom edge',
      '<1.2e-38 (below float32), bottom edge',
      'NaN or Inf, top edge',
    ])
      expect(svg).toContain(`>${entry.replace('<', '&lt;')}<`);
    expect(svg).toContain('not on the log scale');
  });

  it('has no off-scale layers or legend when every norm is an ordinary one', async () => {
    const spec = gradientFlowSpec(syntheticRecord({ layers: 3, steps: 3 }));
    expect((spec as unknown as Layered).layer.map((l) => l.name)).toEqual([
      'flow_lines',
      'flow_points',
      'thresholds',
      'threshold_labels',
    ]);
    expect(await renderSvg(spec)).not.toContain('not on the log scale');
  });
});

describe('heatmap', () => {
  it('has one cell per layer and step', async () => {
    const svg = await renderSvg(heatmapSpec(syntheticRecord({ layers: 5, steps: 10 })));
    expect(items(svg, 'norm_cells_marks')).toBe(5 * 10);
    expect(svg).not.toContain('off_scale_cells');
  });

  it('colours log10 of the norm on a scale that spans the data, however wide (1e-30 to 1e2)', async () => {
    const record = syntheticRecord({ layers: 3, steps: 2 });
    setNorm(record, 0, 0, 1e-30);
    setNorm(record, 1, 2, 1e2);
    const spec = heatmapSpec(record);
    // The cells' range in whole decades, as vega draws it: nothing clamped.
    expect(await scaleDomain(spec, 'norm_cells_color')).toEqual([-30, 2]);
    expect(JSON.stringify(spec)).not.toContain('"clamp"');
    const svg = await renderSvg(spec);
    expect(svg).toContain('log10 ||dL/dW||');
    // The scale's two ends, viridis's first and last colours, are both drawn.
    expect(svg).toContain('fill="rgb(68, 1, 84)"');
    expect(svg).toContain('fill="rgb(253, 231, 37)"');
  });

  it('keeps norms within one decade on a one-decade scale, not stretched over the ramp', async () => {
    // dense1..output: 0.5e-2 .. 0.5, logs -2.3 .. -0.3
    const spec = heatmapSpec(syntheticRecord({ layers: 3, steps: 2 }));
    expect(await scaleDomain(spec, 'norm_cells_color')).toEqual([-3, 0]);
    const one = syntheticRecord({ layers: 2, steps: 2 });
    for (const s of [0, 1]) for (const l of [0, 1]) setNorm(one, s, l, 0.3);
    expect(await scaleDomain(heatmapSpec(one), 'norm_cells_color')).toEqual([-1, 0]);
  });

  it('gives a 0, a subnormal and a NaN cell their kind, their own colour and a legend entry', async () => {
    const record = syntheticRecord({ layers: 4, steps: 3 });
    setNorm(record, 0, 0, 0);
    setNorm(record, 1, 1, FLOAT32_MIN_NORMAL / 8);
    setNorm(record, 2, 2, Number.NaN);
    const spec = heatmapSpec(record) as unknown as { data: { values: Record<string, unknown>[] } };
    const at = (layer: string, from: number) =>
      spec.data.values.find((c) => c.layer === layer && c.from === from);
    expect(at('dense1', 1)).toMatchObject({ kind: 'zero', log10Norm: null, marker: '0 (exact)' });
    expect(at('dense2', 2)).toMatchObject({
      kind: 'subnormal',
      marker: '<1.2e-38 (below float32)',
    });
    expect(at('dense3', 3)).toMatchObject({ kind: 'non-finite', marker: 'NaN' });
    expect(at('output', 3)).toMatchObject({
      kind: 'finite',
      log10Norm: expect.closeTo(Math.log10(0.5), 12),
    });
    // Every cell is drawn: 4 layers x 3 steps.
    expect(spec.data.values).toHaveLength(12);
    const svg = await renderSvg(spec as unknown as TopLevelSpec);
    expect(items(svg, 'norm_cells_marks')).toBe(12 - 3);
    expect(items(svg, 'off_scale_cells_marks')).toBe(3);
    for (const colour of ['#7f7f7f', '#c994c7', '#d7191c'])
      expect(svg).toContain(`fill="${colour}"`);
    for (const entry of ['0 (exact)', '&lt;1.2e-38 (below float32)', 'NaN or Inf'])
      expect(svg).toContain(`>${entry}<`);
  });

  it('a grouped column with one NaN among its steps is non-finite; one with only zeros is zero', () => {
    const record = syntheticRecord({ layers: 2, steps: 6 });
    setNorm(record, 1, 0, Number.POSITIVE_INFINITY); // column 1 = steps 1-2
    for (const s of [2, 3]) setNorm(record, s, 0, 0); // column 2 = steps 3-4
    setNorm(record, 4, 0, 0); // column 3 = steps 5-6: one step at 0, one ordinary
    const cells = heatmapCells(record.metrics, 3).filter((c) => c.layer === 'dense1');
    expect(cells.map((c) => c.kind)).toEqual(['non-finite', 'zero', 'finite']);
    expect(cells[0]).toMatchObject({ nonFiniteSteps: 1, marker: 'NaN or Inf in 1 of 2 steps' });
    expect(cells[1]).toMatchObject({ zeroSteps: 2, marker: '0 (exact) in 2 of 2 steps' });
    expect(cells[2]).toMatchObject({
      zeroSteps: 1,
      log10Norm: expect.closeTo(Math.log10(0.05), 12),
    });
  });

  it('downsamples long runs to at most 200 columns covering every step', async () => {
    const record = syntheticRecord({ layers: 3, steps: 450 });
    const cells = heatmapCells(record.metrics);
    const columns = cells.filter((c) => c.layer === 'dense1');
    expect(columns).toHaveLength(200);
    expect(columns[0]?.from).toBe(1);
    expect(columns.at(-1)?.to).toBe(450);
    for (let i = 1; i < columns.length; i++)
      expect(columns[i]?.from).toBe((columns[i - 1]?.to ?? 0) + 1);
    // dense1 is 0.5 x 10^-2 on every step, the output 0.5.
    expect(columns[0]?.log10Norm).toBeCloseTo(Math.log10(0.005), 10);
    expect(cells.find((c) => c.layer === 'output')?.log10Norm).toBeCloseTo(Math.log10(0.5), 10);
    const svg = await renderSvg(heatmapSpec(record));
    expect(items(svg, 'norm_cells_marks')).toBe(3 * 200);
    expect(svg).toContain('450 steps drawn as 200 columns');
  });
});

describe('loss', () => {
  it('draws the loss on every step and the accuracy of full steps', async () => {
    const record = syntheticRecord({ steps: 10, every: 5 });
    const svg = await renderSvg(lossSpec(record));
    expect(items(svg, 'loss_marks')).toBe(1);
    expect(items(svg, 'accuracy_marks')).toBe(1);
    expect(svg).toContain('batch accuracy');
    expect(svg).not.toContain('loss (log scale)');
    expect(await renderSvg(lossSpec(record, { logScale: true }))).toContain('loss (log scale)');
  });

  it('has no accuracy axis when the run measured none', async () => {
    const record = syntheticRecord({ steps: 4 });
    for (const m of record.metrics) (m as { accuracy: number | null }).accuracy = null;
    const svg = await renderSvg(lossSpec(record));
    expect(svg).not.toContain('batch accuracy');
  });
});

describe('signal over time', () => {
  it('draws ||dL/dh_t|| at the first and last full steps of a recurrent run', async () => {
    const spec = signalSpec(syntheticRecord({ kind: 'rnn', steps: 10, every: 5 }));
    expect(spec).not.toBeNull();
    const svg = await renderSvg(spec as NonNullable<typeof spec>);
    expect(items(svg, 'signal_lines_marks')).toBe(2); // two lines
    expect(items(svg, 'signal_points_marks')).toBe(2 * 4); // four time steps each
    expect(svg).toContain('step 1');
    expect(svg).toContain('step 10');
  });

  it('draws a signal that underflowed to 0 or blew up at the edges, with its marker', async () => {
    const record = syntheticRecord({ kind: 'rnn', steps: 10, every: 5 });
    const last = record.metrics[9] as unknown as { signal: { norms: (number | null)[] } };
    last.signal = { ...last.signal, norms: [0, null, 1e-2, 1e-1] };
    const svg = await renderSvg(signalSpec(record) as TopLevelSpec);
    expect(items(svg, 'signal_points_marks')).toBe(4 + 2);
    expect(labels(svg, 'off_scale_bottom_marks')).toEqual([
      'time step t: 1; training step: step 10; not on the log scale: 0 (exact), bottom edge; time step: t=1; ||dL/dh_t||: 0 (exact)',
    ]);
    expect(items(svg, 'off_scale_top_marks')).toBe(1);
    expect(svg).toContain('>NaN or Inf, top edge<');
  });

  it('is absent for an MLP', () => {
    expect(signalSpec(syntheticRecord())).toBeNull();
  });
});
