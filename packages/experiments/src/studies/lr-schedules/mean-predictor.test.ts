import { describe, expect, it } from 'vitest';
import { meanPredictorLoss } from './mean-predictor.js';

describe('meanPredictorLoss', () => {
  it('one output: the population variance of the targets', () => {
    // Mean 2, squared deviations 1, 1, 4, 4 (over 4 examples).
    expect(meanPredictorLoss([1, 3, 0, 4], 4, 1)).toBeCloseTo(10 / 4, 12);
  });

  it('each output is centred on its own mean, not on the mean of all outputs', () => {
    // Column 0 is constant 5 (error 0), column 1 is 0, 2 (mean 1, error 1 each): 2 / 4.
    expect(meanPredictorLoss([5, 0, 5, 2], 2, 2)).toBeCloseTo(0.5, 12);
  });

  it('constant targets cost nothing; too few targets give NaN', () => {
    expect(meanPredictorLoss([3, 3, 3], 3, 1)).toBe(0);
    expect(meanPredictorLoss([1, 2], 2, 2)).toBeNaN();
    expect(meanPredictorLoss([], 0, 1)).toBeNaN();
  });
});
