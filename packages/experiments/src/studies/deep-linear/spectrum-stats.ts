/**
 * Statistics of one Jacobian's singular values s_1 >= ... >= s_N (host numerics): the moments
 * the deep-linear theory predicts, and a spread that float32 rounding cannot fake.
 */

/** (1/N) sum s_i^2 = (1/N) tr(J J^T) and (1/N) sum s_i^4 = (1/N) tr((J J^T)^2). */
export function squaredMoments(s: ArrayLike<number>): { mean: number; second: number } {
  let mean = 0;
  let second = 0;
  for (let i = 0; i < s.length; i++) {
    const s2 = (s[i] as number) ** 2;
    mean += s2;
    second += s2 * s2;
  }
  return { mean: mean / s.length, second: second / s.length };
}

/** The largest |s_i - 1|: zero for an isometry. */
export function maxDeviationFromOne(s: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < s.length; i++) d = Math.max(d, Math.abs((s[i] as number) - 1));
  return d;
}

/**
 * The standard deviation of ln s over the larger half of the singular values (s sorted largest
 * first). The smaller half of a deep Gaussian product's spectrum falls below what a float32
 * product resolves (s_min / s_max < 2^-24 by depth ~10 at N = 128): there the computed values
 * are rounding noise, so the spread is measured where the spectrum is real.
 */
export function topHalfLogSpread(s: ArrayLike<number>): number {
  const k = Math.ceil(s.length / 2);
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < k; i++) {
    const l = Math.log(s[i] as number);
    sum += l;
    sumSquares += l * l;
  }
  const mean = sum / k;
  return Math.sqrt(Math.max(0, sumSquares / k - mean * mean));
}

/** Mean and standard error of the mean (sample standard deviation / sqrt(n)); SE is 0 for n = 1. */
export function meanAndStandardError(xs: readonly number[]): {
  mean: number;
  standardError: number;
} {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, standardError: 0 };
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { mean, standardError: Math.sqrt(variance / n) };
}

/** What the checks read of one draw's spectrum. */
export const spectrumStats = (s: ArrayLike<number>) => ({
  ...squaredMoments(s),
  spread: topHalfLogSpread(s),
  maxDeviation: maxDeviationFromOne(s),
});
export type SpectrumStats = ReturnType<typeof spectrumStats>;
