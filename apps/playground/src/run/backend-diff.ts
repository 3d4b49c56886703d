import type { RunRecord } from '@gradlab/core';
import { type BackendAgreement, compareBackendRuns } from '@gradlab/core';

export interface LayerDifference {
  readonly layer: string;
  /** The layer's gradient norm at step 1 on each backend (same weights, same batch). */
  readonly reference: number;
  readonly other: number;
  /** Step 1: the larger relative difference of the kernel's and the bias's gradient norm. */
  readonly step1RelDiff: number;
  /** Drift: the same, the largest over every step both logged. */
  readonly maxRelDiff: number;
}

export interface BackendDifferences {
  /** The two figures, apart: step-1 gradient agreement and trajectory drift (see core). */
  readonly agreement: BackendAgreement;
  readonly layers: readonly LayerDifference[];
}

/**
 * How another backend's run of the same spec and seed differs from the reference's, as the CLI's
 * `gradlab compare --backends` measures it: at step 1, where both hold the same weights and
 * batch, and over the run, where training amplifies the step-1 differences.
 */
export function backendDifferences(reference: RunRecord, other: RunRecord): BackendDifferences {
  const agreement = compareBackendRuns(reference.metrics, other.metrics);
  const step1 = (r: RunRecord) => r.metrics.find((m) => m.step === 1);
  const names = reference.metrics[0]?.layers.map((l) => l.name) ?? [];
  return {
    agreement,
    layers: names.map((layer, i) => ({
      layer,
      reference: step1(reference)?.layers[i]?.gradNorm ?? Number.NaN,
      other: step1(other)?.layers[i]?.gradNorm ?? Number.NaN,
      step1RelDiff: agreement.step1?.layers[i]?.maxRelDiff ?? Number.NaN,
      maxRelDiff: agreement.drift.layers[i]?.maxRelDiff ?? Number.NaN,
    })),
  };
}
