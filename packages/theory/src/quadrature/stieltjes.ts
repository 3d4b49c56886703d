import { gaussLegendreRule, type Recurrence } from './gauss-rule.js';

/**
 * Recurrence coefficients of a weight w on [0, end] by the discretised Stieltjes procedure
 * (Gautschi 1982, "On generating orthogonal polynomials"): the integrals that define alpha_k and
 * beta_k are taken with a composite Gauss-Legendre rule fine enough that, for the smooth,
 * Gaussian-decaying weights used here, the coefficients are exact to rounding.
 */
export function discretisedStieltjes(
  weight: (x: number) => number,
  n: number,
  end: number,
  panels = 400,
  pointsPerPanel = 20,
): Recurrence {
  const panel = gaussLegendreRule(pointsPerPanel);
  const size = panels * pointsPerPanel;
  const x = new Float64Array(size);
  const m = new Float64Array(size);
  const width = end / panels;
  for (let p = 0; p < panels; p++) {
    for (let j = 0; j < pointsPerPanel; j++) {
      const t = p * width + (((panel.nodes[j] as number) + 1) * width) / 2;
      x[p * pointsPerPanel + j] = t;
      m[p * pointsPerPanel + j] = (((panel.weights[j] as number) * width) / 2) * weight(t);
    }
  }
  const alpha = new Float64Array(n);
  const beta = new Float64Array(n + 1);
  // pi_{k-1} and pi_k at the discretisation points, each step rescaled to unit norm so that
  // high degrees neither overflow nor underflow; the ratios alpha, beta are scale-free.
  let previous = new Float64Array(size);
  let current = new Float64Array(size).fill(1);
  let previousNorm = 1;
  for (let k = 0; k <= n; k++) {
    let norm = 0;
    let moment = 0;
    for (let j = 0; j < size; j++) {
      const v = (m[j] as number) * (current[j] as number) ** 2;
      norm += v;
      moment += v * (x[j] as number);
    }
    beta[k] = k === 0 ? norm : norm / previousNorm;
    if (k === n) break;
    alpha[k] = moment / norm;
    const next = new Float64Array(size);
    const inverse = 1 / Math.sqrt(norm);
    for (let j = 0; j < size; j++) {
      next[j] =
        (((x[j] as number) - (alpha[k] as number)) * (current[j] as number) -
          (k > 0 ? (beta[k] as number) * (previous[j] as number) : 0)) *
        inverse;
      current[j] = (current[j] as number) * inverse;
    }
    previous = current;
    current = next;
    previousNorm = 1;
  }
  return { alpha, beta };
}
