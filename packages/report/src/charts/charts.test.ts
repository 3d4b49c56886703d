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

  it('leaves out norms of 0, which a log scale cannot draw', async () => {
    const record = syntheticRecord({ layers: 4, steps: 3 });
    for (const m of record.metrics) (m.layers[0] as { gradNorm: number }).gradNorm = 0;
    const svg = await renderSvg(gradientFlowSpec(record));
    expect(items(svg, 'flow_points_marks')).toBe(3 * 3);
  });
});

describe('heatmap', () => {
  it('has one cell per layer and step', async () => {
    const svg = await renderSvg(heatmapSpec(syntheticRecord({ layers: 5, steps: 10 })));
    expect(items(svg, 'marks')).toBe(5 * 10);
  });

  it('colours on a diverging scale centred on the last layer, clamped to the thresholds', async () => {
    const record = syntheticRecord({ layers: 5, steps: 2 });
    const spec = heatmapSpec(record) as unknown as {
      encoding: { color: { scale: { domain: number[]; range: string[]; clamp: boolean } } };
    };
    // default thresholds: vanishingRatio 1e-3, explodingRatio 1e3
    expect(spec.encoding.color.scale.domain).toEqual([-3, 0, 3]);
    expect(spec.encoding.color.scale.clamp).toBe(true);
    const svg = await renderSvg(heatmapSpec(record));
    // dense1 (10^-4 of the last layer) is clamped to the vanishing end's blue; output is white.
    expect(svg).toContain('fill="rgb(31, 95, 191)"');
    expect(svg).toContain('fill="rgb(247, 247, 247)"');
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
    // dense1 is 10^-2 of the output's 0.5 on every step; the output is 10^0 of itself.
    expect(columns[0]?.log10Ratio).toBeCloseTo(-2, 10);
    expect(cells.find((c) => c.layer === 'output')?.log10Ratio).toBeCloseTo(0, 10);
    const svg = await renderSvg(heatmapSpec(record));
    expect(items(svg, 'marks')).toBe(3 * 200);
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
    expect(items(svg, 'layer_0_marks')).toBe(2); // two lines
    expect(items(svg, 'layer_1_marks')).toBe(2 * 4); // four time steps each
    expect(svg).toContain('step 1');
    expect(svg).toContain('step 10');
  });

  it('is absent for an MLP', () => {
    expect(signalSpec(syntheticRecord())).toBeNull();
  });
});
