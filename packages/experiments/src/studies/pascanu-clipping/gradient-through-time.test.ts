import { describe, expect, it } from 'vitest';
import { compareWithPowerLaw, worstRelativeError } from './gradient-through-time.js';

describe('compareWithPowerLaw', () => {
  it('finds no error in norms that follow rho^(T-k) exactly, whatever their scale', () => {
    const rho = 0.8;
    const norms = [0.8 ** 3, 0.8 ** 2, 0.8, 1].map((r) => 7 * r);
    const points = compareWithPowerLaw(norms, rho);
    expect(points.map((p) => p.k)).toEqual([1, 2, 3, 4]);
    expect(points.map((p) => p.predicted)).toEqual([0.8 ** 3, 0.8 ** 2, 0.8, 1]);
    expect(worstRelativeError(points)).toBeLessThan(1e-15);
  });

  it('reports the relative error of a step that is off the law', () => {
    const points = compareWithPowerLaw([4.4, 2, 1], 2);
    expect(points[0]?.measured).toBeCloseTo(4.4, 12);
    expect(points[0]?.relativeError).toBeCloseTo(0.1, 12);
    expect(points[1]?.relativeError).toBe(0);
    expect(worstRelativeError(points)).toBeCloseTo(0.1, 12);
  });

  it('has nothing to compare when the last norm is zero or there are no norms', () => {
    expect(compareWithPowerLaw([1, 0], 0.5)).toEqual([]);
    expect(compareWithPowerLaw([], 0.5)).toEqual([]);
    expect(worstRelativeError([])).toBe(Number.POSITIVE_INFINITY);
  });

  it('a NaN norm makes the worst error infinite', () => {
    expect(worstRelativeError(compareWithPowerLaw([Number.NaN, 1], 0.5))).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});
