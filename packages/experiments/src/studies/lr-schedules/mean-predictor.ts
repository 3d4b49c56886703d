/**
 * Mean squared error of the best input-free prediction, each output's mean over the set: what a
 * network reaches when it ignores its input (for example once all its ReLUs are dead and only
 * the output bias learns). A trained network that has learned anything lies below it. `y` is
 * n x k, row-major; the error is averaged over the n k entries, like gradlab's MSE.
 */
export function meanPredictorLoss(y: ArrayLike<number>, n: number, k: number): number {
  if (n < 1 || k < 1 || y.length < n * k) return Number.NaN;
  let sum = 0;
  for (let c = 0; c < k; c++) {
    let mean = 0;
    for (let s = 0; s < n; s++) mean += y[s * k + c] as number;
    mean /= n;
    for (let s = 0; s < n; s++) sum += ((y[s * k + c] as number) - mean) ** 2;
  }
  return sum / (n * k);
}
