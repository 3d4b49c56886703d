import { invalidArgument } from './invalid-argument.js';

/**
 * Moments of the squared singular values s_i^2 of the input-output Jacobian J = W_L ... W_1 of a
 * deep linear network of N x N layers (Saxe et al. 2014; Pennington et al. 2017), i.e. of the
 * eigenvalues of J J^T, averaged over the N values and over the random weights.
 */
export interface DeepLinearMoments {
  /** E[(1/N) tr(J J^T)] = sigma^(2L): the mean squared singular value (the forward variance gain). */
  readonly meanSquaredSingularValue: number;
  /** E[(1/N) tr((J J^T)^2)]: the mean of s^4. */
  readonly secondMoment: number;
  /** E[(1/N) sum s_i^4 - ((1/N) sum s_i^2)^2]: how far the singular values spread around their mean. */
  readonly squaredSingularValueVariance: number;
  /** E[(1/N) sum log s_i^2] = E[(1/N) log det(J J^T)]. */
  readonly meanLogSquaredSingularValue: number;
  /** Largest s^2 in the large-N limit: the upper edge of the spectrum's support. */
  readonly maxSquaredSingularValue: number;
}

export interface DeepLinearOptions {
  /** 'gaussian': W_ij ~ N(0, sigma^2 / N); 'orthogonal': W = sigma Q with Q orthogonal. Default 'gaussian'. */
  readonly init?: 'gaussian' | 'orthogonal';
  /** N, for the exact expectation at finite width; omitted: the limit N -> infinity. */
  readonly width?: number;
}

const EULER_GAMMA = 0.5772156649015329;

/**
 * sum_{i=1..n} psi(i / 2), from psi(1) = -gamma, psi(1/2) = -gamma - 2 log 2 and
 * psi(x + 1) = psi(x) + 1/x, in one pass.
 */
function digammaHalvesSum(n: number): number {
  let atInteger = -EULER_GAMMA; // psi(m), starting at m = 1
  let atHalf = -EULER_GAMMA - 2 * Math.LN2; // psi(m + 1/2), starting at m = 0
  let sum = 0;
  for (let i = 1; i <= n; i++) {
    if (i % 2 === 1) {
      sum += atHalf; // psi((2m + 1) / 2), m = (i - 1) / 2
      atHalf += 1 / ((i - 1) / 2 + 0.5);
    } else {
      sum += atInteger; // psi(i / 2)
      atInteger += 1 / (i / 2);
    }
  }
  return sum;
}

/**
 * For Gaussian layers, by Wick's theorem one layer A -> W A W^T (W_ij ~ N(0, sigma^2 / N)) maps
 * the expectations of x = ((1/N) tr A)^2 and y = (1/N) tr(A^2) linearly:
 *   x' = sigma^4 (x + 2 y / N^2),   y' = sigma^4 (x + (1 + 1/N) y),   from x = y = 1 at A = I.
 * As N -> infinity y_L = (L + 1) sigma^(4L), the second Fuss-Catalan number (free probability:
 * J J^T is a free product of L Marchenko-Pastur laws), and the variance L sigma^(4L) grows
 * linearly with depth. E[log det(W W^T)] is that of a Wishart matrix,
 * N log(2 sigma^2 / N) + sum_{i=1..N} psi(i / 2), which tends to N (log sigma^2 - 1): the typical
 * singular value shrinks like e^(-L/2) even when the mean square is kept at 1. The support of
 * the limiting spectrum ends at sigma^(2L) (L + 1)^(L + 1) / L^L (Fuss-Catalan edge).
 * Orthogonal layers (Saxe et al. 2014) make every s_i^2 = sigma^(2L) exactly, at any depth.
 */
export function deepLinearJacobianMoments(
  sigma2: number,
  depth: number,
  options: DeepLinearOptions = {},
): DeepLinearMoments {
  if (!(Number.isFinite(sigma2) && sigma2 > 0)) {
    throw invalidArgument('sigma2', sigma2, 'a finite number > 0 (the weight variance times N)');
  }
  if (!Number.isInteger(depth) || depth < 0) {
    throw invalidArgument('depth', depth, 'an integer >= 0 (the number of layers)');
  }
  const init = options.init ?? 'gaussian';
  if (init !== 'gaussian' && init !== 'orthogonal') {
    throw invalidArgument('init', init, "'gaussian' or 'orthogonal'");
  }
  const width = options.width;
  if (width !== undefined && !(Number.isInteger(width) && width >= 1)) {
    throw invalidArgument('width', width, 'a positive integer (N), or nothing for N -> infinity');
  }
  const L = depth;
  const mean = sigma2 ** L;
  if (init === 'orthogonal' || L === 0) {
    return {
      meanSquaredSingularValue: mean,
      secondMoment: mean * mean,
      squaredSingularValueVariance: 0,
      meanLogSquaredSingularValue: L * Math.log(sigma2),
      maxSquaredSingularValue: mean,
    };
  }
  const edge = mean * ((L + 1) ** (L + 1) / L ** L);
  if (width === undefined) {
    return {
      meanSquaredSingularValue: mean,
      secondMoment: (L + 1) * mean * mean,
      squaredSingularValueVariance: L * mean * mean,
      meanLogSquaredSingularValue: L * (Math.log(sigma2) - 1),
      maxSquaredSingularValue: edge,
    };
  }
  const n = width;
  let x = 1;
  let y = 1;
  const s4 = sigma2 * sigma2;
  for (let l = 0; l < L; l++) {
    [x, y] = [s4 * (x + (2 * y) / (n * n)), s4 * (x + (1 + 1 / n) * y)];
  }
  const digammaSum = digammaHalvesSum(n);
  return {
    meanSquaredSingularValue: mean,
    secondMoment: y,
    squaredSingularValueVariance: y - x,
    meanLogSquaredSingularValue: L * (Math.log((2 * sigma2) / n) + digammaSum / n),
    maxSquaredSingularValue: edge,
  };
}
