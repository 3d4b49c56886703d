/**
 * The variance of samples that come in clusters (several inputs through one random network),
 * with a jackknife standard error that leaves out one cluster at a time, so correlation
 * within a network widens the error bar instead of hiding in it (Efron & Tibshirani 1993,
 * ch. 11).
 */
export interface ClusteredVariance {
  readonly variance: number;
  readonly standardError: number;
  readonly samples: number;
  readonly clusters: number;
}

export function clusteredVariance(clusters: readonly (readonly number[])[]): ClusteredVariance {
  const sums = clusters.map((c) => {
    let s1 = 0;
    let s2 = 0;
    for (const y of c) {
      s1 += y;
      s2 += y * y;
    }
    return { n: c.length, s1, s2 };
  });
  const total = sums.reduce((a, s) => ({ n: a.n + s.n, s1: a.s1 + s.s1, s2: a.s2 + s.s2 }), {
    n: 0,
    s1: 0,
    s2: 0,
  });
  const varianceOf = (n: number, s1: number, s2: number) => (s2 - (s1 * s1) / n) / (n - 1);
  const variance = varianceOf(total.n, total.s1, total.s2);
  const used = sums.filter((s) => s.n > 0);
  const k = used.length;
  if (k < 2) return { variance, standardError: Number.NaN, samples: total.n, clusters: k };
  const leaveOneOut = used.map((s) => varianceOf(total.n - s.n, total.s1 - s.s1, total.s2 - s.s2));
  const mean = leaveOneOut.reduce((a, b) => a + b, 0) / k;
  const spread = leaveOneOut.reduce((a, v) => a + (v - mean) ** 2, 0);
  return {
    variance,
    standardError: Math.sqrt(((k - 1) / k) * spread),
    samples: total.n,
    clusters: k,
  };
}
