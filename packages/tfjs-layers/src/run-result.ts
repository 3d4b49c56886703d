import {
  type FirstProblem,
  medianStepMs,
  type RunResult,
  type StepDiagnostics,
  type Verdict,
} from '@gradlab/core';

export interface FitOutcome {
  readonly stepsCompleted: number;
  readonly backend: string;
  readonly final: StepDiagnostics | null;
  readonly worstVerdict: Verdict;
  readonly firstProblems: readonly FirstProblem[];
  readonly losses: { readonly first: number | null; readonly last: number | null };
  readonly stepMs: readonly number[];
  readonly totalMs: number;
  /** Why the callback stopped training, if it did. */
  readonly stopped: string | null;
}

/**
 * run.json's result for a fit. A fit the callback stopped (non-finite or exploding gradients)
 * is `failed` with the reason as its error, so a report and a sweep tell it from one that ran
 * to the end; a fit stopped by anything else (EarlyStopping) is complete.
 */
export function fitResult(o: FitOutcome): RunResult {
  return {
    status: o.stopped ? 'failed' : 'complete',
    stepsCompleted: o.stepsCompleted,
    backend: o.backend,
    final: o.final,
    verdict: o.final?.verdict ?? 'healthy',
    worstVerdict: o.worstVerdict,
    firstProblems: o.firstProblems,
    loss: o.losses,
    evaluation: null,
    pretraining: [],
    timings: { setupMs: 0, totalMs: o.totalMs, medianStepMs: medianStepMs(o.stepMs) },
    ...(o.stopped ? { error: o.stopped } : {}),
  };
}
