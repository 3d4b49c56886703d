import { describe, expect, test } from 'vitest';
import { clusteredVariance } from './clustered-variance.js';

function sampleVariance(xs: readonly number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}

describe('clusteredVariance', () => {
  const clusters = [[1, 2], [4], [0, -1, 3], [2, 2, 5]];
  const all = clusters.flat();

  test('the variance is the sample variance of all samples together', () => {
    const r = clusteredVariance(clusters);
    expect(r.variance).toBeCloseTo(sampleVariance(all), 13);
    expect(r.samples).toBe(all.length);
    expect(r.clusters).toBe(4);
  });

  test('the standard error is the jackknife over clusters, recomputed from scratch', () => {
    const leaveOut = clusters.map((_, k) =>
      sampleVariance(clusters.filter((_, j) => j !== k).flat()),
    );
    const mean = leaveOut.reduce((a, b) => a + b, 0) / leaveOut.length;
    const k = leaveOut.length;
    const expected = Math.sqrt(((k - 1) / k) * leaveOut.reduce((a, v) => a + (v - mean) ** 2, 0));
    expect(clusteredVariance(clusters).standardError).toBeCloseTo(expected, 13);
  });

  test('correlated samples widen the error bar: a value copied within its cluster adds no information', () => {
    const singles = [[1], [3], [0], [4], [2], [6], [5], [1]];
    const copied = singles.map(([v]) => [v as number, v as number, v as number]);
    const a = clusteredVariance(singles);
    const b = clusteredVariance(copied);
    expect(b.standardError / b.variance).toBeGreaterThan(0.9 * (a.standardError / a.variance));
    // Treated as 24 independent samples, the error bar would shrink by ~sqrt(3).
    const flat = clusteredVariance(copied.flat().map((v) => [v]));
    expect(flat.standardError).toBeLessThan(0.7 * b.standardError);
  });

  test('one cluster has no jackknife error bar', () => {
    expect(clusteredVariance([[1, 2, 3]]).standardError).toBeNaN();
  });
});
