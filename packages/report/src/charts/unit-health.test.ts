import { describe, expect, it } from 'vitest';
import { markItems, syntheticRecord } from '../test-support.js';
import { renderSvg } from '../vega.js';
import { unitHealthPoints, unitHealthSpec } from './unit-health.js';

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

  it('is absent when no layer measured either', () => {
    expect(unitHealthSpec(syntheticRecord())).toBeNull();
  });
});
