import { describe, expect, test } from 'vitest';
import {
  maxDeviationFromOne,
  meanAndStandardError,
  squaredMoments,
  topHalfLogSpread,
} from './spectrum-stats.js';

describe('spectrum statistics', () => {
  test('squared moments of known singular values', () => {
    expect(squaredMoments([1, 1, 1, 1])).toEqual({ mean: 1, second: 1 });
    // s^2 = 4, 1, 0: mean 5/3, mean of s^4 = 17/3.
    const m = squaredMoments([2, 1, 0]);
    expect(m.mean).toBeCloseTo(5 / 3, 14);
    expect(m.second).toBeCloseTo(17 / 3, 14);
  });

  test('max deviation from 1', () => {
    expect(maxDeviationFromOne([1, 1, 1])).toBe(0);
    expect(maxDeviationFromOne([1.5, 1, 0.9])).toBe(0.5);
  });

  test('the log-spread looks only at the larger half', () => {
    expect(topHalfLogSpread([3, 3, 1e-30, 1e-40])).toBe(0);
    // ln e = 1, ln 1 = 0: std of {1, 0} is 1/2; the smaller half (here 1e-9) is ignored.
    expect(topHalfLogSpread([Math.E, 1, 1e-9])).toBeCloseTo(0.5, 14);
  });

  test('mean and standard error of the mean', () => {
    expect(meanAndStandardError([5])).toEqual({ mean: 5, standardError: 0 });
    // sample variance of {1, 2, 3, 4} is 5/3; SE = sqrt(5/3 / 4).
    const r = meanAndStandardError([1, 2, 3, 4]);
    expect(r.mean).toBe(2.5);
    expect(r.standardError).toBeCloseTo(Math.sqrt(5 / 12), 14);
  });
});
