import {
  type BackendInfo,
  createMemoryRecorder,
  type ExperimentSpec,
  type MetricsRow,
  type RunEvent,
  type RunListener,
  type RunManifest,
  type RunRecord,
  type RunResult,
} from '@gradlab/core';

export type RunEnvironment = RunManifest['environment'];

export interface LiveRecord {
  /** Subscribe this to the run. */
  readonly listener: RunListener;
  /**
   * The record so far, in the shape `gradlab report` and the charts read. A run still going has
   * no result yet: until it finishes, the manifest describes the steps so far as if the run had
   * been stopped there (status "cancelled").
   */
  view(): RunRecord;
  /** The finished record, or null while the run goes on. */
  finished(): RunRecord | null;
  /** The latest step, and the latest full-diagnostic step. */
  latest(): { step: MetricsRow | null; full: MetricsRow | null };
}

function resultSoFar(metrics: readonly MetricsRow[], backend: string): RunResult {
  const full = [...metrics].reverse().find((m) => m.full) ?? null;
  const first = metrics[0];
  const last = metrics[metrics.length - 1];
  return {
    status: 'cancelled',
    stepsCompleted: last?.step ?? 0,
    backend,
    final: full,
    verdict: full?.verdict ?? 'healthy',
    worstVerdict: full?.verdict ?? 'healthy',
    firstProblems: [],
    loss: { first: first?.loss ?? null, last: last?.loss ?? null },
    evaluation: null,
    pretraining: [],
    timings: { setupMs: 0, totalMs: 0, medianStepMs: null },
  };
}

/**
 * Collects a run's events into a run record, line for line what the CLI's run directory holds
 * (createRunRecorder in @gradlab/core/node): core's in-memory recorder (createMemoryRecorder),
 * with a view of the run while it goes on. The playground draws it live and exports it as a
 * run bundle.
 */
export function createLiveRecord(
  spec: ExperimentSpec,
  backend: BackendInfo,
  environment: RunEnvironment,
): LiveRecord {
  const recorder = createMemoryRecorder(spec, backend, environment);
  const latestRow = (): MetricsRow | null => recorder.metrics[recorder.metrics.length - 1] ?? null;
  let lastFull: MetricsRow | null = null;
  return {
    listener(event: RunEvent) {
      recorder.listener(event);
      if (event.type === 'step' && event.diagnostics?.full) lastFull = latestRow();
    },
    view: () =>
      recorder.finished() ?? recorder.recordWith(resultSoFar(recorder.metrics, backend.name)),
    finished: () => recorder.finished(),
    latest: () => ({ step: latestRow(), full: lastFull }),
  };
}
