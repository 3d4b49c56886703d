import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { markItems, syntheticRecord } from '../test-support.js';
import { renderSvg } from '../vega.js';
import { unitHealthPoints, unitHealthSpec } from './unit-health.js';

/** The layer colour scale as vega draws it: each layer and its colour, in the scale's order. */
async function layerColours(spec: TopLevelSpec): Promise<{ layer: string; colour: string }[]> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    await view.runAsync();
    const scale = view.scale('color');
    return (scale.domain() as string[]).map((layer) => ({ layer, colour: String(scale(layer)) }));
  } finally {
    view.finalize();
  }
}

/** Relative luminance (WCAG) of a colour as vega writes it: rgb(r, g, b). */
function luminance(colour: string): number {
  const m = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(colour);
  if (!m) throw new Error(`not an rgb() colour: ${colour}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('unit health', () => {
  it('draws one saturation line and one dead-unit line per layer over the full steps', async () => {
    const record = syntheticRecord({ layers: 4, steps: 10, every: 5, unitHealth: true });
    const { saturation, dead } = unitHealthPoints(record);
    expect(saturation).toHaveLength(4 * 3); // full steps 1, 5, 10
    expect(dead.map((p) => p.step)).toEqual([1, 1, 1, 1, 5, 5, 5, 5, 10, 10, 10, 10]);
    const svg = await renderSvg(
      unitHealthSpec(record) as NonNullable<ReturnType<typeof unitHealthSpec>>,
    );
    expect(markItems(svg, 'saturation_lines_marks')).toBe(4);
    expect(markItems(svg, 'dead_lines_marks')).toBe(4);
    expect(svg).toContain('Unit health per layer');
    for (const l of ['dense1', 'dense3', 'output']) expect(svg).toContain(`>${l}<`);
  });

  it('draws only the layers and measures that have values', async () => {
    const record = syntheticRecord({ layers: 4, steps: 10, every: 5, unitHealth: true });
    for (const m of record.metrics)
      for (const [i, l] of m.layers.entries()) {
        const w = l as { saturation: number | null; deadFraction: number | null };
        w.deadFraction = null;
        if (i !== 1) w.saturation = null;
      }
    const svg = await renderSvg(
      unitHealthSpec(record) as NonNullable<ReturnType<typeof unitHealthSpec>>,
    );
    expect(markItems(svg, 'saturation_lines_marks')).toBe(1);
    expect(markItems(svg, 'dead_lines_marks')).toBe(0);
    expect(svg).toContain('>dense2<');
    expect(svg).not.toContain('>dense1<');
    expect(svg).not.toContain('dead (dashed)');
  });

  it('gives each of 20 layers a colour of its own, darkest at the input and lighter with depth', async () => {
    // The reference preset's depth: a categorical palette of 10 repeated its colours here.
    const record = syntheticRecord({ layers: 20, steps: 10, every: 5, unitHealth: true });
    const colours = await layerColours(unitHealthSpec(record) as TopLevelSpec);
    expect(colours.map((c) => c.layer)).toEqual([
      ...Array.from({ length: 19 }, (_, i) => `dense${i + 1}`),
      'output',
    ]);
    expect(new Set(colours.map((c) => c.colour)).size).toBe(20);
    const light = colours.map((c) => luminance(c.colour));
    for (let i = 1; i < light.length; i++) {
      expect(light[i], `${colours[i]?.layer} after ${colours[i - 1]?.layer}`).toBeGreaterThan(
        light[i - 1] as number,
      );
    }
    // The lightest layer still stands out from the white page (no pale yellow line).
    expect(Math.max(...light)).toBeLessThan(0.6);
  });

  it('ends its step axis at the last step', () => {
    const record = syntheticRecord({ layers: 3, steps: 150, every: 10, unitHealth: true });
    const spec = unitHealthSpec(record) as unknown as {
      layer: { encoding: { x: { scale: { domain: number[]; nice: boolean } } } }[];
    };
    for (const l of spec.layer)
      expect(l.encoding.x.scale).toEqual({ domain: [1, 150], nice: false });
  });

  it('is absent when no layer measured either', () => {
    expect(unitHealthSpec(syntheticRecord())).toBeNull();
  });
});
