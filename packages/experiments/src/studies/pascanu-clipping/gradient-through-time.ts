/** One time step of a linear RNN's backpropagated signal, against the power law. */
export interface PowerLawPoint {
  /** Time step k, from 1 (the first input) to T (the last, where the loss is read). */
  readonly k: number;
  /** ||dL/dh_k|| / ||dL/dh_T||, as measured. */
  readonly measured: number;
  /** rho^(T-k). */
  readonly predicted: number;
  /** |measured - predicted| / predicted. */
  readonly relativeError: number;
}

/**
 * For h_t = W h_{t-1} + U x_t with W = rho Q (Q orthogonal) and a loss on h_T only,
 * dL/dh_k = (W^T)^(T-k) dL/dh_T, and an orthogonal matrix keeps every norm, so
 * ||dL/dh_k|| = rho^(T-k) ||dL/dh_T|| exactly, for every example and for the whole batch
 * (Pascanu, Mikolov & Bengio 2013, section 2). `norms[i]` is ||dL/dh_(i+1)||.
 */
export function compareWithPowerLaw(norms: readonly number[], rho: number): PowerLawPoint[] {
  const last = norms[norms.length - 1];
  if (last === undefined || !(last > 0)) return [];
  const T = norms.length;
  return norms.map((n, i) => {
    const k = i + 1;
    const measured = n / last;
    const predicted = rho ** (T - k);
    return { k, measured, predicted, relativeError: Math.abs(measured - predicted) / predicted };
  });
}

/** The largest relative error of a comparison; Infinity for an empty or non-finite one. */
export function worstRelativeError(points: readonly PowerLawPoint[]): number {
  if (points.length === 0) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (const p of points) {
    if (!Number.isFinite(p.relativeError)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, p.relativeError);
  }
  return worst;
}
