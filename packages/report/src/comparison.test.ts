import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendDiffSpec, comparisonFlowSpec, comparisonLossSpec } from './charts/comparison.js';
import { renderBackendComparisonReport, renderComparisonReport } from './comparison.js';
import { markItems, syntheticRecord, tinyRun } from './test-support.js';
import { renderSvg } from './vega.js';

function expectSelfContained(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
  expect(html).not.toMatch(/<link\b/i);
}

describe('comparison charts', () => {
  it('overlays one flow profile and one loss curve per variant', async () => {
    const variants = [
      { variant: 'baseline', record: syntheticRecord({ layers: 4 }) },
      { variant: 'relu', record: syntheticRecord({ layers: 4 }) },
      { variant: 'batchnorm', record: syntheticRecord({ layers: 4 }) },
    ];
    const flow = await renderSvg(
      comparisonFlowSpec(variants) as NonNullable<ReturnType<typeof comparisonFlowSpec>>,
    );
    expect(markItems(flow, 'flow_lines_marks')).toBe(3);
    expect(markItems(flow, 'flow_points_marks')).toBe(3 * 4);
    const loss = await renderSvg(
      comparisonLossSpec(variants) as NonNullable<ReturnType<typeof comparisonLossSpec>>,
    );
    expect(markItems(loss, 'loss_lines_marks')).toBe(3);
    for (const v of ['baseline', 'relu', 'batchnorm']) expect(loss).toContain(`>${v}<`);
  });

  it("draws a variant's layer whose norm is 0 or NaN at the plot's edge, not leaves it out", async () => {
    const dead = syntheticRecord({ layers: 4, steps: 5 });
    const last = dead.metrics[4]?.layers as unknown as { gradNorm: number | null }[];
    (last[0] as { gradNorm: number | null }).gradNorm = 0;
    (last[1] as { gradNorm: number | null }).gradNorm = null; // NaN, as JSON holds it
    const variants = [
      { variant: 'baseline', record: syntheticRecord({ layers: 4, steps: 5 }) },
      { variant: 'dead', record: dead },
    ];
    const flow = await renderSvg(
      comparisonFlowSpec(variants) as NonNullable<ReturnType<typeof comparisonFlowSpec>>,
    );
    expect(markItems(flow, 'flow_points_marks')).toBe(4 + 2);
    expect(markItems(flow, 'off_scale_bottom_marks')).toBe(1);
    expect(markItems(flow, 'off_scale_top_marks')).toBe(1);
    expect(flow).toContain('>0 (exact), bottom edge<');
    expect(flow).toContain('>NaN or Inf, top edge<');
  });

  it('is absent without variants', () => {
    expect(comparisonFlowSpec([])).toBeNull();
    expect(comparisonLossSpec([])).toBeNull();
  });
});

describe('renderComparisonReport', () => {
  it('is self-contained, with the table and one line per variant', async () => {
    const baseline = await tinyRun();
    const relu = await tinyRun({
      name: 'tiny-relu',
      model: { kind: 'mlp', depth: 4, width: 6, activation: 'relu', init: 'he-normal' },
    } as never);
    const dir = await mkdtemp(join(tmpdir(), 'gradlab-compare-'));
    const row = (variant: string, record: string) => ({
      variant,
      record,
      ratioFirstToLast: { start: 1e-3, end: 2e-3 },
      verdict: 'healthy',
      worstVerdict: 'vanishing',
      finalLoss: 0.5,
      accuracy: 0.75,
      seconds: 1.5,
      status: 'complete',
    });
    const comparison = {
      gradlab: 1,
      kind: 'comparison',
      baseline: 'tiny-test',
      backend: { name: 'cpu', device: 'CPU (test)' },
      variants: ['relu<b>', 'gone'],
      rows: [row('baseline', baseline), row('relu<b>', relu), row('gone', join(dir, 'gone'))],
    };
    await writeFile(join(dir, 'comparison.json'), JSON.stringify(comparison));
    const html = await renderComparisonReport(dir);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expectSelfContained(html);
    expect(html).toContain('<h1>gradlab comparison: tiny-test</h1>');
    expect(html.match(/<tr>/g)).toHaveLength(1 + 3);
    expect(html).not.toContain('relu<b>');
    expect(html).toContain('relu&lt;b&gt;');
    expect(html).toContain('No record for gone');
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(markItems(html, 'flow_lines_marks')).toBe(2);
    expect(markItems(html, 'loss_lines_marks')).toBe(2);
  });
});

describe('backend comparison', () => {
  const backends = (cpu: string, wasm: string) => [
    {
      backend: 'cpu',
      status: 'ran',
      info: { name: 'cpu', device: 'CPU (test)' },
      record: cpu,
      verdict: 'healthy',
      msPerStep: 1.25,
      step1: null,
      drift: null,
    },
    {
      backend: 'wasm',
      status: 'ran',
      info: { name: 'wasm', device: 'WebAssembly' },
      record: wasm,
      verdict: 'healthy',
      msPerStep: 2.5,
      step1: { maxRelDiff: 3.1e-7, worstLayer: 'dense1', loss: 0 },
      drift: {
        steps: 6,
        tolerance: 1e-3,
        lossMaxRelDiff: 2.5e-5,
        gradNormMaxRelDiff: 4.5e-3,
        firstDivergence: { step: 5, quantity: 'dense2', relDiff: 4.5e-3 },
      },
    },
    {
      backend: 'webgpu<x>',
      status: 'unavailable',
      reason: 'no adapter. To fix: <run> on a GPU',
      verdict: null,
      msPerStep: null,
      step1: null,
      drift: null,
    },
  ];

  it('is self-contained: both figures per backend, labelled, the table, the differences by layer and the profiles', async () => {
    const cpu = await tinyRun();
    const wasm = await tinyRun();
    const dir = await mkdtemp(join(tmpdir(), 'gradlab-compare-backends-'));
    const comparison = {
      gradlab: 1,
      kind: 'backend-comparison',
      spec: 'tiny-test',
      reference: 'cpu',
      tolerance: 1e-3,
      backends: backends(cpu, wasm),
      layers: ['dense1', 'dense2', 'dense3', 'output'].map((layer, i) => ({
        layer,
        finalGradNorm: { cpu: 0.1, wasm: 0.1 },
        step1GradNorm: { cpu: 0.2, wasm: 0.2 },
        step1RelDiff: { cpu: 0, wasm: i === 3 ? 0 : 3.1e-7 },
        maxRelDiff: { cpu: 0, wasm: i === 3 ? 0 : 10 ** -(i + 3) },
      })),
    };
    await writeFile(join(dir, 'comparison.json'), JSON.stringify(comparison));
    const html = await renderComparisonReport(dir); // dispatches on kind
    expect(html).toBe(await renderBackendComparisonReport(dir));
    expectSelfContained(html);
    expect(html).toContain('<h1>gradlab backend comparison: tiny-test</h1>');
    // The two figures, each saying what it measures.
    expect(html).toContain(
      'step-1 gradient agreement (same weights, same batch), max relative difference: <strong>3.1e-7</strong> (dense1)',
    );
    expect(html).toContain(
      'training-trajectory drift over 6 steps: loss max relative difference <strong>2.5e-5</strong>, gradient norms 4.5e-3; diverged beyond 1e-3 at step 5 (dense2&#39;s gradient norm)',
    );
    expect(html.match(/<tr>/g)).toHaveLength(1 + 3);
    const row = (name: string) =>
      [
        ...(html.match(new RegExp(`<tr><td>${name}</td>(.*?)</tr>`))?.[1] ?? '').matchAll(
          /<td[^>]*>([^<]*)<\/td>/g,
        ),
      ].map((m) => m[1]);
    expect(row('wasm')).toEqual([
      'WebAssembly',
      '2.5',
      '3.1e-7',
      '2.5e-5',
      '4.5e-3',
      '5',
      'healthy',
    ]);
    expect(row('cpu')).toEqual([
      'CPU (test)',
      '1.3',
      'reference',
      'reference',
      'reference',
      '-',
      'healthy',
    ]);
    expect(html).toContain('<th>first step beyond 1e-3</th>');
    expect(html).toContain('unavailable: no adapter. To fix: &lt;run&gt; on a GPU');
    expect(html).not.toContain('webgpu<x>');
    expect(html.match(/<svg/g)).toHaveLength(2);
    // wasm's three non-zero layers in both measures; its bit-identical output layer (both
    // measures) is a marker at the bottom edge, not a gap.
    expect(markItems(html, 'diff_bars_marks')).toBe(2 * 3);
    expect(markItems(html, 'identical_marks')).toBe(2);
    expect(html).toContain('0 (identical), bottom edge');
    expect(html).toContain('divergence tolerance 1e-3');
    expect(markItems(html, 'flow_lines_marks')).toBe(2);
    expect(html).toContain('Gradient flow by backend');
  });

  it('renders a comparison.json of an earlier version (no step-1 figures): its loss difference, the rest "-"', async () => {
    const cpu = await tinyRun();
    const dir = await mkdtemp(join(tmpdir(), 'gradlab-compare-backends-old-'));
    const old = backends(cpu, cpu).map(({ step1: _, drift: __, ...b }) => ({
      ...b,
      lossMaxRelDiff: b.backend === 'wasm' ? 3e-7 : 0,
    }));
    await writeFile(
      join(dir, 'comparison.json'),
      JSON.stringify({
        // Every comparison.json gradlab wrote carries its format version, the earliest too.
        gradlab: 1,
        kind: 'backend-comparison',
        spec: 'tiny-test',
        reference: 'cpu',
        backends: old,
        layers: [{ layer: 'dense1', maxRelDiff: { cpu: 0, wasm: 2e-6 } }],
      }),
    );
    const html = await renderBackendComparisonReport(dir);
    expect(html).toMatch(
      /<tr><td>wasm<\/td><td>WebAssembly<\/td><td class="num">2\.5<\/td><td class="num">-<\/td><td class="num">3e-7<\/td><td class="num">-<\/td><td class="num">-<\/td>/,
    );
    expect(markItems(html, 'diff_bars_marks')).toBe(1);
  });

  it('draws every log-scale difference bar with a height (bars are not stacked from 0)', async () => {
    const spec = backendDiffSpec(
      [
        { layer: 'dense1', maxRelDiff: { wasm: 2e-5 }, step1RelDiff: { wasm: 2e-7 } },
        { layer: 'dense2', maxRelDiff: { wasm: 4e-5 }, step1RelDiff: { wasm: 4e-7 } },
      ],
      ['wasm'],
      { steps: 20 },
    );
    expect(spec).not.toBeNull();
    const svg = await renderSvg(spec as NonNullable<typeof spec>);
    const heights = [...svg.matchAll(/graphics-symbol[^>]*d="M[^"]*?v([\d.]+)h/g)].map((m) =>
      Number(m[1]),
    );
    expect(heights).toHaveLength(4);
    expect(heights.every((h) => h > 0)).toBe(true);
    // Step 1 and the drift are told apart in the legend.
    expect(svg).toContain('>step 1 (same weights, same batch)<');
    expect(svg).toContain('>largest over 20 steps (drift)<');
  });

  it('draws bit-identical results at the bottom edge and a NaN on one side at the top, never nothing', async () => {
    const spec = backendDiffSpec(
      [
        { layer: 'a', maxRelDiff: { cpu: 0, wasm: 0 }, step1RelDiff: { cpu: 0, wasm: 0 } },
        { layer: 'b', maxRelDiff: { cpu: 0, wasm: null }, step1RelDiff: { cpu: 0, wasm: 1e-7 } },
      ],
      ['wasm'],
    );
    expect(spec).not.toBeNull();
    const svg = await renderSvg(spec as NonNullable<typeof spec>);
    expect(markItems(svg, 'identical_marks')).toBe(2);
    expect(markItems(svg, 'non_finite_marks')).toBe(1);
    expect(markItems(svg, 'diff_bars_marks')).toBe(1);
    expect(svg).toContain('NaN or Inf on one side only, top edge');
    expect(backendDiffSpec([], ['wasm'])).toBeNull();
  });
});
