import type { BackendInfo } from '../backends/adapter.js';
import type { ExperimentSpec } from '../spec/schema.js';
import type { RunEvent, RunListener, RunResult } from '../train/events.js';
import { type MetricsRow, metricsRow, pretrainRow } from './rows.js';
import type { RunManifest, RunRecord } from './types.js';

export interface MemoryRecorder {
  /** Subscribe this to the run. */
  readonly listener: RunListener;
  /** The finished record, or null while the run goes on (or if it never finished). */
  finished(): RunRecord | null;
  /** The rows so far: the arrays the record holds, which grow while the run goes on. */
  readonly metrics: readonly MetricsRow[];
  readonly pretraining: RunRecord['pretraining'];
  /**
   * The record of the rows so far under `result`'s manifest: a view of a run still going, whose
   * result the caller makes up (the playground draws it live).
   */
  recordWith(result: RunResult): RunRecord;
}

/**
 * Collects a run into a run record in memory, row for row what createRunRecorder writes to a
 * run directory: for places that must not touch a file system themselves (a sweep worker
 * ships the record back to whoever writes it; `toRunBundle` makes it one JSON value; the
 * playground draws it while the run goes on).
 */
export function createMemoryRecorder(
  spec: ExperimentSpec,
  backend: BackendInfo,
  environment: RunManifest['environment'],
): MemoryRecorder {
  const metrics: RunRecord['metrics'] = [];
  const pretraining: RunRecord['pretraining'] = [];
  const startedAt = new Date().toISOString();
  let done: RunRecord | null = null;
  const recordWith = (result: RunResult): RunRecord => ({
    spec,
    manifest: {
      gradlab: 1,
      status: result.status,
      startedAt,
      finishedAt: new Date().toISOString(),
      environment,
      backend,
      result,
    },
    metrics,
    pretraining,
  });
  return {
    listener(event: RunEvent) {
      if (event.type === 'step') metrics.push(metricsRow(event));
      else if (event.type === 'pretrain') pretraining.push(pretrainRow(event));
      else if (event.type === 'finished') done = recordWith(event.result);
    },
    finished: () => done,
    metrics,
    pretraining,
    recordWith,
  };
}
