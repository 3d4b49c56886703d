import type { BackendInfo } from '../backends/adapter.js';
import type { ExperimentSpec } from '../spec/schema.js';
import type { RunResult } from '../train/events.js';
import type { MetricsRow } from './rows.js';

/**
 * The shapes of a run record, in a module of their own: the readers, the writers and the
 * bundle all use them, and so does browser code (reports, the playground), which must not
 * import the Node-only "@gradlab/core/node" to name a type.
 */

/** The contents of run.json. */
export interface RunManifest {
  readonly gradlab: 1;
  readonly status: RunResult['status'];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly environment: {
    readonly gradlabCore: string;
    readonly node: string;
    readonly platform: string;
    readonly arch: string;
    readonly cpu: string;
    readonly cpus: number;
  };
  readonly backend: BackendInfo;
  readonly result: RunResult;
  /**
   * Present only on a record completed by `gradlab runs clean --finish` after the run's own
   * process could not write run.json (disk full, killed during the final write): when, and
   * what the rebuilt run.json lacks because only the process had it.
   */
  readonly recovered?: { readonly at: string; readonly missing: readonly string[] };
}

/** A whole run: a run directory's files, or a run bundle's fields, read back. */
export interface RunRecord {
  readonly spec: ExperimentSpec;
  readonly manifest: RunManifest;
  readonly metrics: MetricsRow[];
  /** Layer-wise pre-training steps, empty when the run had none. */
  readonly pretraining: { layer: string; step: number; loss: number }[];
}
