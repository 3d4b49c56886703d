import { addingData } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import { ADDING_MEAN_BASELINE, predictTheMeanMse } from './baseline.js';

describe('predictTheMeanMse', () => {
  it('is the mean squared deviation from the mean of all targets, over the first ones', () => {
    // Mean of all four is 2; the first two deviate by -1 and 1.
    expect(predictTheMeanMse([1, 3, 2, 2], 2)).toBe(1);
    expect(predictTheMeanMse([1, 3, 2, 2], 4)).toBe(0.5);
    expect(predictTheMeanMse([1, 3], 10)).toBe(1);
    expect(predictTheMeanMse([], 5)).toBeNaN();
  });

  it("matches the analytic 1/6 on gradlab's adding-problem generator", () => {
    const data = addingData(0, { length: 20, samples: 20_000 });
    expect(predictTheMeanMse(data.y, data.size)).toBeCloseTo(ADDING_MEAN_BASELINE, 2);
    // The targets have mean 1: the sum of two U[0, 1) values.
    const mean = data.y.reduce((a, b) => a + b, 0) / data.size;
    expect(mean).toBeCloseTo(1, 2);
  });
});
