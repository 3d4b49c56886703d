import { describe, expect, it } from 'vitest';
import { leastSquaresCurvature } from './least-squares.js';

describe('leastSquaresCurvature', () => {
  it('an exactly solvable problem: minimum 0, curvature from Z^T Z', () => {
    // Z = [[1, 1], [-1, 1]], Z^T Z = 2 I: curvature 2 * 2 / (2 * 1) = 2, critical rate 1.
    const r = leastSquaresCurvature([1, -1], [1, 3], 2, 1, 1);
    expect(r.curvature).toBeCloseTo(2, 12);
    expect(r.criticalLr).toBeCloseTo(1, 12);
    expect(r.minLoss).toBeCloseTo(0, 12);
  });

  it('a problem with a residual: the least-squares fit leaves its mean squared error', () => {
    // Z^T Z = diag(2, 3); the fit is the constant 2 and the residuals are -1, -1, 2.
    const r = leastSquaresCurvature([1, -1, 0], [1, 1, 4], 3, 1, 1);
    expect(r.curvature).toBeCloseTo((2 * 3) / 3, 12);
    expect(r.minLoss).toBeCloseTo(2, 12);
  });

  it('the mean over k outputs divides the curvature by k', () => {
    const one = leastSquaresCurvature([1, -1, 0], [1, 1, 4], 3, 1, 1);
    const two = leastSquaresCurvature([1, -1, 0], [1, 5, 1, 5, 4, 2], 3, 1, 2);
    expect(two.curvature).toBeCloseTo(one.curvature / 2, 12);
    // Output 2 (5, 5, 2) has residuals 1, 1, -2 around its fit 4: the same 2 as output 1.
    expect(two.minLoss).toBeCloseTo(2, 12);
  });
});
