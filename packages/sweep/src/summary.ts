import type { RunBundle, RunManifest, RunStatus, StepDiagnostics, Verdict } from '@gradlab/core';

/** One layer of a cell's summary: the gradient-flow profile at its last full step. */
export interface LayerSummary {
  readonly name: string;
  readonly gradNorm: number | null;
  readonly ratioToLast: number | null;
  readonly verdict: Verdict;
}

/** What a sweep keeps of a finished cell's run, beside the record itself. */
export interface CellSummary {
  /** The run's own status: "complete", or "failed" (with `error`) when training threw. */
  readonly status: RunStatus;
  /** The backend that ran it (what "auto" became). */
  readonly backend: string;
  readonly verdict: Verdict;
  readonly worstVerdict: Verdict;
  /** Loss of the trained network in inference mode, else the last training loss. */
  readonly finalLoss: number | null;
  /** Accuracy in inference mode (classification only). */
  readonly accuracy: number | null;
  readonly steps: number;
  readonly seconds: number;
  /** Per layer at the last full-diagnostic step, input side first. */
  readonly layers: readonly LayerSummary[];
  /** The backpropagated signal's first/last ratio at that step, when measured. */
  readonly signalRatio: number | null;
  /**
   * The first layer's weight-gradient norm over the last layer's at the first full-diagnostic
   * step (the network as initialised, before training moved it): what mean-field theory
   * predicts. Null when the record has no full step, or the ratio is not finite.
   */
  readonly initialGradientRatio: number | null;
  readonly error: string | null;
}

/** JSON has no NaN or Infinity: a non-finite figure is kept as null, as run records do. */
const finite = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;

/** The first step of a run's metrics that measured everything (usually step 1). */
export function firstFullStep(
  rows: Iterable<Pick<StepDiagnostics, 'full' | 'layers'>>,
): Pick<StepDiagnostics, 'layers'> | null {
  for (const row of rows) if (row.full) return row;
  return null;
}

/**
 * The summary of a run record, from its run.json and its first full step: a sweep entry is
 * derived from the record it points to, wherever the run happened, so the two can never
 * disagree.
 */
export function summarizeRun(
  run: RunManifest,
  first: Pick<StepDiagnostics, 'layers'> | null = null,
): CellSummary {
  const r = run.result;
  return {
    status: r.status,
    backend: run.backend.name,
    verdict: r.verdict,
    worstVerdict: r.worstVerdict,
    finalLoss: finite(r.evaluation?.loss ?? r.loss.last),
    accuracy: finite(r.evaluation?.accuracy),
    steps: r.stepsCompleted,
    seconds: Number((r.timings.totalMs / 1000).toFixed(3)),
    layers: (r.final?.layers ?? []).map((l) => ({
      name: l.name,
      gradNorm: finite(l.gradNorm),
      ratioToLast: finite(l.ratioToLast),
      verdict: l.verdict,
    })),
    signalRatio: finite(r.final?.signal?.ratioFirstToLast),
    initialGradientRatio: finite(first?.layers[0]?.ratioToLast),
    error: r.error ?? null,
  };
}

export const summarizeBundle = (bundle: RunBundle): CellSummary =>
  summarizeRun(bundle.run, firstFullStep(bundle.metrics));
