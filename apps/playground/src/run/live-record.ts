import type {
  BackendInfo,
  ExperimentSpec,
  RunEvent,
  RunListener,
  RunManifest,
  RunRecord,
  RunResult,
  StepDiagnostics,
} from '@gradlab/core';

export type RunEnvironment = RunManifest['environment'];
type MetricsRow = RunRecord['metrics'][number];

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
 * (createRunRecorder in @gradlab/core/node): spec.json, one metrics row per step, the
 * pre-training rows and run.json. The playground draws it live and exports it as a run bundle.
 */
export function createLiveRecord(
  spec: ExperimentSpec,
  backend: BackendInfo,
  environment: RunEnvironment,
): LiveRecord {
  const metrics: MetricsRow[] = [];
  const pretraining: RunRecord['pretraining'] = [];
  const startedAt = new Date().toISOString();
  let lastFull: MetricsRow | null = null;
  let done: RunRecord | null = null;
  const manifest = (result: RunResult): RunManifest => ({
    gradlab: 1,
    status: result.status,
    startedAt,
    finishedAt: new Date().toISOString(),
    environment,
    backend,
    result,
  });
  return {
    listener(event: RunEvent) {
      if (event.type === 'step') {
        const row = {
          step: event.step,
          loss: event.loss,
          ms: Number(event.ms.toFixed(3)),
          ...(event.diagnostics ?? {}),
        } as MetricsRow;
        metrics.push(row);
        if ((row as Partial<StepDiagnostics>).full) lastFull = row;
      } else if (event.type === 'pretrain') {
        const line = { phase: 'pretrain', layer: event.layer, step: event.step, loss: event.loss };
        pretraining.push(line);
      } else if (event.type === 'finished') {
        done = { spec, manifest: manifest(event.result), metrics, pretraining };
      }
    },
    view: () =>
      done ?? {
        spec,
        manifest: manifest(resultSoFar(metrics, backend.name)),
        metrics,
        pretraining,
      },
    finished: () => done,
    latest: () => ({ step: metrics[metrics.length - 1] ?? null, full: lastFull }),
  };
}
