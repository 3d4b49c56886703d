/** Plain statistics of measured series, the numbers checks compare with a prediction. */

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * Geometric mean: the average of ratios and norms that span orders of magnitude, where one
 * large value would otherwise dominate. NaN for an empty list; 0 if any value is 0.
 */
export function geometricMean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  if (xs.some((x) => x === 0)) return 0;
  return Math.exp(mean(xs.map(Math.log)));
}

/** Least-squares slope of ys against their index 0, 1, 2, ... (NaN with fewer than two points). */
export function slopePerIndex(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return Number.NaN;
  const mx = (n - 1) / 2;
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, i) => {
    sxy += (i - mx) * (y - my);
    sxx += (i - mx) ** 2;
  });
  return sxy / sxx;
}

/**
 * How much a loss curve fell, as a fraction of where it started: 1 - tail / head, with head the
 * mean of the first `headSteps` losses and tail the mean of the last `tailFraction` of them.
 * Means over a few steps, because one mini-batch's loss is noisy. Negative when the loss rose.
 */
export function relativeLossDrop(
  losses: readonly number[],
  headSteps = 5,
  tailFraction = 0.1,
): number {
  if (losses.length === 0) return Number.NaN;
  const head = mean(losses.slice(0, Math.max(1, Math.min(headSteps, losses.length))));
  const tailCount = Math.max(1, Math.round(losses.length * tailFraction));
  const tail = mean(losses.slice(-tailCount));
  return 1 - tail / head;
}

/**
 * Sample standard deviation (n - 1 in the denominator): how much one measurement scatters, the
 * number a tolerance is built on. NaN with fewer than two values.
 */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}
