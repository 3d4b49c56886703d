import { describe, expect, it } from 'vitest';
import { syntheticRecord } from '../test-support.js';
import { renderSvg } from '../vega.js';
import { lossSpec } from './loss.js';
import { DEFAULT_SMOOTHING, emaSmooth } from './smoothing.js';

type Line = { name?: string; mark?: { opacity?: number }; data?: { values: { loss: number }[] } };
type Group = { layer?: Line[] };
/** The curves of the loss axis: the one group of layers that shares it. */
const lossCurves = (spec: unknown): Line[] =>
  ((spec as { layer: Group[] }).layer[0]?.layer ?? []) as Line[];

describe('loss smoothing', () => {
  it("is TensorBoard's debiased moving average", () => {
    // 0.6 x 0 + 0.4 x 10 = 4, over 1 - 0.6 = 0.4: the first value itself, not pulled to 0.
    const s = emaSmooth([10, 0, 0], 0.6);
    expect(s[0]).toBeCloseTo(10, 12);
    // (0.6 x 4 + 0) / (1 - 0.36) = 2.4 / 0.64
    expect(s[1]).toBeCloseTo(3.75, 12);
    expect(s[2]).toBeCloseTo((0.6 * 2.4) / (1 - 0.6 ** 3), 12);
    expect(emaSmooth([3, 1, 2], 0)).toEqual([3, 1, 2]);
    // A NaN passes through and leaves the average as it was.
    const gap = emaSmooth([1, Number.NaN, 1], 0.5);
    expect(gap[1]).toBeNaN();
    expect(gap[2]).toBeCloseTo(1, 12);
    expect(() => emaSmooth([1], 1)).toThrow(/\[0, 1\)/);
  });

  it('draws the smoothed loss on top and the raw loss faint behind it, on one axis', async () => {
    const record = syntheticRecord({ steps: 20 });
    // A noisy loss: the smoothed curve must be smoother than the raw one.
    for (const m of record.metrics)
      (m as { loss: number }).loss = 1 + (m.step % 2 === 0 ? 0.5 : -0.5);
    const spec = lossSpec(record);
    const curves = lossCurves(spec);
    expect(curves.map((c) => c.name)).toEqual(['loss_raw', 'loss']);
    const [raw, smoothed] = curves as [Line, Line];
    expect(raw.mark?.opacity).toBeLessThan(0.5);
    expect(smoothed.mark?.opacity ?? 1).toBe(1);
    const rawLoss = raw.data?.values.map((v) => v.loss) ?? [];
    const smooth = smoothed.data?.values.map((v) => v.loss) ?? [];
    expect(rawLoss).toEqual(record.metrics.map((m) => m.loss));
    expect(smooth).toEqual(emaSmooth(rawLoss, DEFAULT_SMOOTHING));
    const swing = (xs: number[]) => Math.max(...xs.slice(5)) - Math.min(...xs.slice(5));
    expect(swing(smooth)).toBeLessThan(swing(rawLoss) / 2);
    const svg = await renderSvg(spec);
    expect(svg).toContain('loss_raw_marks');
    expect(svg).toContain('weight 0.6');
  });

  it('can be turned off or set where the chart is built', () => {
    const record = syntheticRecord({ steps: 20 });
    const off = lossCurves(lossSpec(record, { smoothing: 0 }));
    expect(off.map((c) => c.name)).toEqual(['loss']);
    expect(off[0]?.data?.values.map((v) => v.loss)).toEqual(record.metrics.map((m) => m.loss));
    const heavy = lossCurves(lossSpec(record, { smoothing: 0.9 }))[1];
    expect(heavy?.data?.values.map((v) => v.loss)).toEqual(
      emaSmooth(
        record.metrics.map((m) => m.loss),
        0.9,
      ),
    );
  });
});
