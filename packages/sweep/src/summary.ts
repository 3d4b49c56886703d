import type { RunBundle, RunStatus, Verdict } from '@gradlab/core';
import type { RunManifest } from '@gradlab/core/node';

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
  readonly error: string | null;
}

/** JSON has no NaN or Infinity: a non-finite figure is kept as null, as run records do. */
const finite = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;

/**
 * The summary of a run record, from its run.json alone: a sweep entry is derived from the
 * record it points to, wherever the run happened, so the two can never disagree.
 */
export function summarizeRun(run: RunManifest): CellSummary {
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
    error: r.error ?? null,
  };
}

export const summarizeBundle = (bundle: RunBundle): CellSummary => summarizeRun(bundle.run);
