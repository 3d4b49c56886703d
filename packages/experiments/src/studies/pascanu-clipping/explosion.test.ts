import { describe, expect, it } from 'vitest';
import { measureExplosion } from '../../study-kit/explosion.js';

describe('measureExplosion', () => {
  it('measures growth over the first step and the first step past the factor', () => {
    const e = measureExplosion([2, 5, 30, 4], [1, 3, 50, 2], 10);
    expect(e.lossGrowth).toBe(15);
    expect(e.gradGrowth).toBe(50);
    expect(e.peakGradNorm).toBe(50);
    expect(e.blowUpStep).toBe(3);
  });

  it('a run that only falls has growth 1 and no blow-up', () => {
    const e = measureExplosion([2, 1, 0.5], [3, 2, 1], 10);
    expect(e.lossGrowth).toBe(1);
    expect(e.gradGrowth).toBe(1);
    expect(e.blowUpStep).toBeNull();
  });

  it('NaN or Inf is an unbounded blow-up; the peak norm keeps the largest finite one', () => {
    const e = measureExplosion([1, 2, Number.NaN], [1, 1e6, Number.POSITIVE_INFINITY], 10);
    expect(e.lossGrowth).toBe(Number.POSITIVE_INFINITY);
    expect(e.gradGrowth).toBe(Number.POSITIVE_INFINITY);
    expect(e.peakGradNorm).toBe(1e6);
    expect(e.blowUpStep).toBe(3);
  });
});
