import { describe, expect, test } from 'vitest';
import { samplePath } from './sample-path.js';

describe('samplePath', () => {
  test('a short path is kept whole', () => {
    expect(samplePath(5, 10)).toEqual([0, 1, 2, 3, 4]);
  });

  test('a long path keeps its head, its last point, and at most the budget, in order', () => {
    const picked = samplePath(20_000, 100);
    expect(picked.length).toBeLessThanOrEqual(100);
    expect(picked.length).toBeGreaterThan(80);
    expect(picked.slice(0, 25)).toEqual(Array.from({ length: 25 }, (_, k) => k));
    expect(picked[picked.length - 1]).toBe(19_999);
    for (let i = 1; i < picked.length; i++)
      expect(picked[i]).toBeGreaterThan(picked[i - 1] as number);
    // Log spacing: as many picks in the last decade as in the one before it.
    const inRange = (lo: number, hi: number) => picked.filter((k) => k >= lo && k < hi).length;
    expect(Math.abs(inRange(2000, 20_000) - inRange(200, 2000))).toBeLessThanOrEqual(2);
  });
});
