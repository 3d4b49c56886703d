import { tridiagonalEigenvalues } from './tridiagonal-eigenvalues.js';

/** A quadrature rule: sum_i weights[i] f(nodes[i]) approximates the integral of f. */
export interface QuadratureRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

/**
 * Recurrence coefficients of the monic orthogonal polynomials of a weight w:
 * pi_{k+1}(x) = (x - alpha[k]) pi_k(x) - beta[k] pi_{k-1}(x), with beta[0] the total mass of w.
 */
export interface Recurrence {
  readonly alpha: ArrayLike<number>;
  readonly beta: ArrayLike<number>;
}

/**
 * The n-point Gauss rule of a weight from its recurrence (Golub & Welsch 1969): the nodes are
 * the eigenvalues of the Jacobi matrix, each polished by Newton steps on pi_n; the weights are
 * Christoffel numbers 1 / sum_k p_k(x)^2 over the orthonormal polynomials, which keeps every
 * weight accurate relative to itself, down to those of the outermost nodes.
 */
export function gaussRule(recurrence: Recurrence, n: number): QuadratureRule {
  const { alpha, beta } = recurrence;
  if (alpha.length < n || beta.length < n) {
    throw new Error(`a ${n}-point rule needs ${n} recurrence coefficients`);
  }
  const a = (k: number) => alpha[k] as number;
  const b = (k: number) => beta[k] as number;
  const offDiagonal = new Float64Array(Math.max(0, n - 1));
  for (let k = 1; k < n; k++) offDiagonal[k - 1] = Math.sqrt(b(k));
  const nodes = tridiagonalEigenvalues(
    Array.from({ length: n }, (_, k) => a(k)),
    offDiagonal,
  );
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = nodes[i] as number;
    for (let step = 0; step < 2; step++) {
      // pi_n(x) and pi_n'(x) by the recurrence, rescaled to stay in range.
      let p0 = 0;
      let p1 = 1;
      let d0 = 0;
      let d1 = 0;
      for (let k = 0; k < n; k++) {
        const p2 = (x - a(k)) * p1 - (k > 0 ? b(k) * p0 : 0);
        const d2 = p1 + (x - a(k)) * d1 - (k > 0 ? b(k) * d0 : 0);
        p0 = p1;
        p1 = p2;
        d0 = d1;
        d1 = d2;
        const scale = Math.abs(p1) + Math.abs(d1);
        if (scale > 1e100) {
          p0 /= scale;
          p1 /= scale;
          d0 /= scale;
          d1 /= scale;
        }
      }
      if (d1 !== 0 && Number.isFinite(p1 / d1)) x -= p1 / d1;
    }
    nodes[i] = x;
    // Christoffel number: the orthonormal p_k satisfy sqrt(beta[k+1]) p_{k+1} = (x - alpha[k]) p_k - sqrt(beta[k]) p_{k-1}.
    let q0 = 0;
    let q1 = 1 / Math.sqrt(b(0));
    let sum = q1 * q1;
    let logScale = 0;
    for (let k = 0; k < n - 1; k++) {
      const q2 = ((x - a(k)) * q1 - (k > 0 ? Math.sqrt(b(k)) * q0 : 0)) / Math.sqrt(b(k + 1));
      q0 = q1;
      q1 = q2;
      sum += q1 * q1;
      if (sum > 1e200) {
        q0 /= 1e100;
        q1 /= 1e100;
        sum /= 1e200;
        logScale += 200 * Math.LN10;
      }
    }
    weights[i] = Math.exp(-Math.log(sum) - logScale);
  }
  return { nodes, weights };
}

/** The n-point Gauss-Legendre rule on [-1, 1]. */
export function gaussLegendreRule(n: number): QuadratureRule {
  const alpha = new Float64Array(n);
  const beta = new Float64Array(n);
  beta[0] = 2;
  for (let k = 1; k < n; k++) beta[k] = (k * k) / (4 * k * k - 1);
  return gaussRule({ alpha, beta }, n);
}
