import { describe, expect, it } from 'vitest';
import { everyKth, minMaxBuckets, normText } from './data.js';

describe('downsampling for drawing', () => {
  it('everyKth keeps short series whole, else every k-th plus the first and last', () => {
    expect(everyKth([1, 2, 3], 10)).toEqual([1, 2, 3]);
    const rows = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const kept = everyKth(rows);
    expect(kept.length).toBeLessThanOrEqual(1000);
    expect(kept.length).toBeGreaterThan(800);
    expect(kept[0]).toBe(1);
    expect(kept.at(-1)).toBe(10_000);
  });

  it('minMaxBuckets keeps each bucket’s extremes, so a spike survives', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ step: i + 1, loss: 1 }));
    (points[4321] as { loss: number }).loss = 99;
    (points[777] as { loss: number }).loss = 0.01;
    const kept = minMaxBuckets(points, (p) => p.loss);
    expect(kept.length).toBeLessThanOrEqual(1000);
    expect(kept.some((p) => p.loss === 99)).toBe(true);
    expect(kept.some((p) => p.loss === 0.01)).toBe(true);
    const steps = kept.map((p) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });
});

describe('normText', () => {
  it('says 0, a subnormal and NaN for what they are, and prints a tiny norm as measured', () => {
    expect(normText(0)).toBe('0');
    expect(normText(5e-40)).toBe('<1.2e-38');
    expect(normText(3.45e-27)).toBe('3.45e-27');
    expect(normText(Number.NaN)).toBe('NaN');
    expect(normText(null)).toBe('-');
  });
});
