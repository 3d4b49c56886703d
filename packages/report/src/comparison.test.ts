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
  it('is self-contained: the backends table, the differences by layer and the overlaid profiles', async () => {
    const cpu = await tinyRun();
    const wasm = await tinyRun();
    const dir = await mkdtemp(join(tmpdir(), 'gradlab-compare-backends-'));
    const comparison = {
      gradlab: 1,
      kind: 'backend-comparison',
      spec: 'tiny-test',
      reference: 'cpu',
      backends: [
        {
          backend: 'cpu',
          status: 'ran',
          info: { name: 'cpu', device: 'CPU (test)' },
          record: cpu,
          verdict: 'healthy',
          msPerStep: 1.25,
          lossMaxRelDiff: 0,
        },
        {
          backend: 'wasm',
          status: 'ran',
          info: { name: 'wasm', device: 'WebAssembly' },
          record: wasm,
          verdict: 'healthy',
          msPerStep: 2.5,
          lossMaxRelDiff: 3e-7,
        },
        {
          backend: 'webgpu<x>',
          status: 'unavailable',
          reason: 'no adapter. To fix: <run> on a GPU',
          verdict: null,
          msPerStep: null,
          lossMaxRelDiff: null,
        },
      ],
      layers: ['dense1', 'dense2', 'dense3', 'output'].map((layer, i) => ({
        layer,
        finalGradNorm: { cpu: 0.1, wasm: 0.1 },
        maxRelDiff: { cpu: 0, wasm: i === 3 ? 0 : 10 ** -(i + 5) },
      })),
    };
    await writeFile(join(dir, 'comparison.json'), JSON.stringify(comparison));
    const html = await renderComparisonReport(dir); // dispatches on kind
    expect(html).toBe(await renderBackendComparisonReport(dir));
    expectSelfContained(html);
    expect(html).toContain('<h1>gradlab backend comparison: tiny-test</h1>');
    expect(html.match(/<tr>/g)).toHaveLength(1 + 3);
    expect(html).toContain('WebAssembly');
    expect(html).toContain('3e-7');
    expect(html).toContain('unavailable: no adapter. To fix: &lt;run&gt; on a GPU');
    expect(html).not.toContain('webgpu<x>');
    expect(html.match(/<svg/g)).toHaveLength(2);
    // wasm's three non-zero layers; the reference's zeros and wasm's 0 are not drawn.
    expect(markItems(html, 'diff_bars_marks')).toBe(3);
    expect(markItems(html, 'flow_lines_marks')).toBe(2);
    expect(html).toContain('Gradient flow by backend');
  });

  it('draws every log-scale difference bar with a height (bars are not stacked from 0)', async () => {
    const spec = backendDiffSpec(
      [
        { layer: 'dense1', maxRelDiff: { wasm: 2e-7 } },
        { layer: 'dense2', maxRelDiff: { wasm: 4e-7 } },
      ],
      ['wasm'],
    );
    expect(spec).not.toBeNull();
    const svg = await renderSvg(spec as NonNullable<typeof spec>);
    const heights = [...svg.matchAll(/graphics-symbol[^>]*d="M[^"]*?v([\d.]+)h/g)].map((m) =>
      Number(m[1]),
    );
    expect(heights).toHaveLength(2);
    expect(heights.every((h) => h > 0)).toBe(true);
  });

  it('draws no difference chart when every backend matches the reference exactly', async () => {
    expect(backendDiffSpec([{ layer: 'a', maxRelDiff: { cpu: 0, wasm: 0 } }], ['wasm'])).toBeNull();
  });
});
