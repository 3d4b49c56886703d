import type { RunRecord } from '@gradlab/core/node';

/** |value - ref| / |ref| (0 when equal): relative to the reference backend, as the CLI does. */
export function relativeDifference(value: number, ref: number): number {
  if (value === ref) return 0;
  if (Number.isNaN(value) || Number.isNaN(ref)) return Number.POSITIVE_INFINITY;
  return Math.abs(value - ref) / Math.max(Math.abs(ref), Number.MIN_VALUE);
}

export interface LayerDifference {
  readonly layer: string;
  /** The layer's gradient norm at the last step on each backend. */
  readonly reference: number;
  readonly other: number;
  /** The largest relative difference of the gradient norm over every step both logged. */
  readonly maxRelDiff: number;
}

/**
 * Per layer, how far another backend's gradient norms are from the reference's, step by step
 * over the steps both runs logged (the same spec and seed: the same weights and batches).
 */
export function layerDifferences(reference: RunRecord, other: RunRecord): LayerDifference[] {
  const steps = Math.min(reference.metrics.length, other.metrics.length);
  const last = steps - 1;
  const names = reference.metrics[0]?.layers.map((l) => l.name) ?? [];
  return names.map((layer, i) => {
    let maxRelDiff = 0;
    for (let s = 0; s < steps; s++) {
      const ref = reference.metrics[s]?.layers[i]?.gradNorm ?? Number.NaN;
      const val = other.metrics[s]?.layers[i]?.gradNorm ?? Number.NaN;
      maxRelDiff = Math.max(maxRelDiff, relativeDifference(val, ref));
    }
    return {
      layer,
      reference: reference.metrics[last]?.layers[i]?.gradNorm ?? Number.NaN,
      other: other.metrics[last]?.layers[i]?.gradNorm ?? Number.NaN,
      maxRelDiff,
    };
  });
}
