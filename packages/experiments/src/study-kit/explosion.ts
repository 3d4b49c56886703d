/** How far a training run's loss and gradient norm rose above where they started. */
export interface Explosion {
  /** Largest loss over the first step's loss; Infinity once a loss is NaN or infinite. */
  readonly lossGrowth: number;
  /** Largest gradient norm over the first step's; Infinity once a norm is NaN or infinite. */
  readonly gradGrowth: number;
  /** Largest finite gradient norm of the run (0 when there is none). */
  readonly peakGradNorm: number;
  /** First step (counted from 1) whose loss is not finite or above `factor` x the first loss. */
  readonly blowUpStep: number | null;
}

/** Growth over a start value; a NaN or infinite value anywhere makes it unbounded. */
function growth(values: readonly number[]): number {
  const first = values[0];
  if (first === undefined || !Number.isFinite(first) || first <= 0) return Number.POSITIVE_INFINITY;
  let peak = first;
  for (const v of values) {
    if (!Number.isFinite(v)) return Number.POSITIVE_INFINITY;
    peak = Math.max(peak, v);
  }
  return peak / first;
}

/**
 * Summarises a run's losses and per-step gradient norms (both in step order, from step 1).
 * NaN counts as a blow-up: once the weights overflow, every later loss is NaN.
 */
export function measureExplosion(
  losses: readonly number[],
  gradNorms: readonly number[],
  factor: number,
): Explosion {
  const first = losses[0] ?? Number.NaN;
  const blowUp = losses.findIndex((l) => !Number.isFinite(l) || l > factor * first);
  return {
    lossGrowth: growth(losses),
    gradGrowth: growth(gradNorms),
    peakGradNorm: gradNorms.reduce((m, g) => (Number.isFinite(g) ? Math.max(m, g) : m), 0),
    blowUpStep: blowUp < 0 ? null : blowUp + 1,
  };
}
