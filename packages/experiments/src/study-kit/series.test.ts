import { describe, expect, it } from 'vitest';
import { geometricMean, mean, relativeLossDrop, sampleStd, slopePerIndex } from './series.js';

describe('series statistics', () => {
  it('mean and geometric mean', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(mean([])).toBeNaN();
    expect(geometricMean([1e-6, 1e-2])).toBeCloseTo(1e-4, 12);
    expect(geometricMean([4, 0, 9])).toBe(0);
    expect(geometricMean([])).toBeNaN();
  });

  it('the slope of a line is recovered exactly, and noise around it averages out', () => {
    expect(slopePerIndex([3, 2.5, 2, 1.5, 1])).toBeCloseTo(-0.5, 12);
    // +/- 0.1 alternating around a slope of 2: the least-squares slope stays close to 2.
    const ys = Array.from({ length: 20 }, (_, i) => 2 * i + (i % 2 === 0 ? 0.1 : -0.1));
    expect(slopePerIndex(ys)).toBeCloseTo(2, 1);
    expect(slopePerIndex([7])).toBeNaN();
  });

  it('relative loss drop compares the first steps with the last tenth', () => {
    const losses = [2, 2, 2, 2, 2, ...Array(40).fill(1.5), ...Array(5).fill(1)];
    expect(relativeLossDrop(losses)).toBeCloseTo(0.5, 12);
    expect(relativeLossDrop([1, 1, 1, 1, 1, 2, 2, 2, 2, 2], 5, 0.5)).toBeCloseTo(-1, 12);
    expect(relativeLossDrop([3])).toBe(0);
    expect(relativeLossDrop([])).toBeNaN();
  });

  it('sample standard deviation divides by n - 1, and needs two values', () => {
    expect(sampleStd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 15);
    expect(sampleStd([2, 2, 2])).toBe(0);
    expect(sampleStd([7])).toBeNaN();
  });
});
