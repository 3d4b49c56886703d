import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import {
  clippingSpec,
  gradientFlowSpec,
  heatmapSpec,
  learningRateSpec,
  lossSpec,
  signalSpec,
  unitHealthSpec,
} from './chart-specs.js';
import { syntheticRecord } from './test-support.js';
import { cachedShapes, renderSvg } from './vega.js';
import { detachInlineData } from './vega-data.js';

/**
 * Vega numbers the gradients of every SVG it draws from one counter in the process (so that
 * several charts inline in one page never share an id): the one thing that differs between
 * two drawings of the same chart.
 */
const unnumbered = (svg: string) => svg.replace(/gradient_\d+/g, 'gradient_N');

/** Where two drawings first differ, with some context: a readable failure for long SVGs. */
function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  let i = 0;
  while (a[i] === b[i]) i++;
  return `at ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))} vs ${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))}`;
}

async function expectSameDrawing(spec: TopLevelSpec): Promise<void> {
  const cached = unnumbered(await renderSvg(spec));
  expect(firstDifference(cached, unnumbered(await direct(spec)))).toBeNull();
}

/** The plain pipeline, no cache: what renderSvg must keep drawing, byte for byte. */
async function direct(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), {
    renderer: 'none',
    logLevel: vega.Error,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Every chart of a run report, for a record of this size. */
function charts(o: { steps: number; seed: number }): TopLevelSpec[] {
  const record = syntheticRecord({
    layers: 5,
    steps: o.steps,
    every: 1,
    telemetry: (s) => ({ 'clip.preNorm': 1 + ((s * o.seed) % 7), lr: 0.1 / (1 + s) }),
  });
  return [
    gradientFlowSpec(record),
    heatmapSpec(record),
    lossSpec(record),
    signalSpec(record),
    unitHealthSpec(record),
    clippingSpec(record),
    learningRateSpec(record),
  ].filter((s): s is TopLevelSpec => s !== null);
}

describe('renderSvg', () => {
  it('draws every report chart exactly as the uncached Vega pipeline does', async () => {
    const specs = charts({ steps: 12, seed: 3 });
    expect(specs.length).toBeGreaterThanOrEqual(5);
    for (const spec of specs) await expectSameDrawing(spec);
  });

  it('parses a chart shape once and draws each data set of that shape as its own', async () => {
    // Same shapes (same steps), different numbers: interleaved, so a view left holding the
    // previous data set, or a runtime that kept it, would show.
    const a = charts({ steps: 12, seed: 5 });
    const b = charts({ steps: 12, seed: 11 });
    for (const spec of a) await renderSvg(spec);
    const shapes = cachedShapes();
    let differ = 0;
    for (let i = 0; i < a.length; i++) {
      const [sa, sb] = [a[i] as TopLevelSpec, b[i] as TopLevelSpec];
      await expectSameDrawing(sb);
      await expectSameDrawing(sa);
      if (unnumbered(await renderSvg(sa)) !== unnumbered(await renderSvg(sb))) differ++;
    }
    // The clipping chart's numbers depend on the seed: the check above compared real changes.
    expect(differ).toBeGreaterThan(0);
    expect(cachedShapes()).toBe(shapes);
  });

  it('rejects a chart Vega cannot draw, and draws the next one', async () => {
    const bad = { data: { values: [{ x: 1 }] }, mark: 'no-such-mark' } as unknown as TopLevelSpec;
    await expect(renderSvg(bad)).rejects.toThrow();
    const [spec] = charts({ steps: 6, seed: 3 });
    await expectSameDrawing(spec as TopLevelSpec);
  });

  it('leaves the spec it is given unchanged', async () => {
    const [spec] = charts({ steps: 6, seed: 2 });
    const before = JSON.stringify(spec);
    await renderSvg(spec as TopLevelSpec);
    expect(JSON.stringify(spec)).toBe(before);
  });
});

describe('detachInlineData', () => {
  it('names each inline data set in order and keeps the rest of its data block', () => {
    const spec = {
      data: { values: [{ x: 1 }] },
      layer: [
        { mark: 'line' },
        { data: { values: [{ y: 2 }], format: { parse: { y: 'number' } } }, mark: 'rule' },
      ],
    } as unknown as TopLevelSpec;
    const { shape, datasets } = detachInlineData(spec);
    expect(shape).toEqual({
      data: { name: 'gradlab_data_0' },
      layer: [
        { mark: 'line' },
        { data: { name: 'gradlab_data_1', format: { parse: { y: 'number' } } }, mark: 'rule' },
      ],
    });
    expect([...datasets.entries()]).toEqual([
      ['gradlab_data_0', [{ x: 1 }]],
      ['gradlab_data_1', [{ y: 2 }]],
    ]);
  });
});
