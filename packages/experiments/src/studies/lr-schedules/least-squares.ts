import { matrix, solve, symmetricEigen } from '@gradlab/theory';

/** What the theory of gradient descent on a quadratic says about one least-squares problem. */
export interface LeastSquaresCurvature {
  /** Largest eigenvalue of the Hessian of the mean squared error in the weights and biases. */
  readonly curvature: number;
  /** 2 / curvature: full-batch gradient descent converges below this rate and diverges above. */
  readonly criticalLr: number;
  /** The smallest mean squared error a linear map with bias can reach (the least-squares fit). */
  readonly minLoss: number;
}

/**
 * For a linear layer y = x W + b trained by the mean squared error over n examples and k outputs,
 * the loss is quadratic in (W, b) with Hessian (2 / (n k)) Z^T Z for each output, Z = [X 1].
 * Gradient descent multiplies the error along an eigenvector of eigenvalue lambda by
 * (1 - lr lambda) each step, so it converges iff lr < 2 / lambda_max (Goodfellow, Bengio &
 * Courville 2016, section 4.3). `x` is n x d and `y` n x k, row-major.
 */
export function leastSquaresCurvature(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  d: number,
  k: number,
): LeastSquaresCurvature {
  const p = d + 1;
  const gram = matrix(p, p);
  const zty = new Float64Array(p * k);
  const row = new Float64Array(p);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < d; i++) row[i] = x[s * d + i] as number;
    row[d] = 1;
    for (let i = 0; i < p; i++) {
      const zi = row[i] as number;
      for (let j = 0; j < p; j++)
        gram.data[i * p + j] = (gram.data[i * p + j] as number) + zi * (row[j] as number);
      for (let c = 0; c < k; c++)
        zty[i * k + c] = (zty[i * k + c] as number) + zi * (y[s * k + c] as number);
    }
  }
  const lambdaMax = symmetricEigen(gram).values[0] as number;
  const curvature = (2 * lambdaMax) / (n * k);
  const weights = Array.from({ length: k }, (_, c) =>
    solve(
      gram,
      Array.from({ length: p }, (_, i) => zty[i * k + c] as number),
    ),
  );
  let sse = 0;
  for (let s = 0; s < n; s++) {
    for (let c = 0; c < k; c++) {
      const w = weights[c] as Float64Array;
      let pred = w[d] as number;
      for (let i = 0; i < d; i++) pred += (x[s * d + i] as number) * (w[i] as number);
      sse += (pred - (y[s * k + c] as number)) ** 2;
    }
  }
  return { curvature, criticalLr: 2 / curvature, minLoss: sse / (n * k) };
}
