import { type FileHandle, open, rm } from 'node:fs/promises';
import { arch, cpus, platform } from 'node:os';
import { join, resolve } from 'node:path';
import type { BackendInfo } from '../backends/adapter.js';
import type { ExperimentSpec } from '../spec/schema.js';
import type { RunEvent, RunListener, RunResult } from '../train/events.js';
import { CORE_VERSION } from '../version.js';
import { writeFileAtomic } from './atomic.js';
import { metricsRow, pretrainRow } from './rows.js';
import {
  isNonEmptyDir,
  makeStagingDir,
  publishStaging,
  recordExistsError,
  stagingPath,
} from './staging.js';
import { dropStagingOwner, writeStagingOwner } from './staging-owner.js';
import type { RunManifest } from './types.js';
import { finishFailedError, isWriteRefusal, startFailedError } from './write-failure.js';

export interface RunRecorder {
  /** Where the finished record will be. */
  readonly dir: string;
  /** Subscribe this to the run. */
  readonly listener: RunListener;
  /**
   * Removes the staging directory of a run that never finished (for example on a crash). Once
   * the run has finished it does nothing: a finished run whose record could not be completed
   * keeps its staging directory for recovery.
   */
  abandon(): Promise<void>;
}

/** The machine a run ran on, as run.json records it. */
export function nodeEnvironment(): RunManifest['environment'] {
  return {
    gradlabCore: CORE_VERSION,
    node: process.version,
    platform: platform(),
    arch: arch(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
  };
}

/**
 * A run directory: spec.json, metrics.jsonl (one JSON line per training step), pretrain.jsonl
 * (one line per layer-wise pre-training step, when the spec asks for pre-training) and run.json
 * (environment, backend, timings, verdicts, both phases' summaries). The run is written into a
 * hidden staging directory beside the target (with an owner file naming this process) and
 * renamed into place when it finishes, so `dir` either does not exist or holds a complete
 * record; run.json is written last, atomically. If that final write or the rename fails (disk
 * full, read-only), the staging directory is kept and the error (RECORD_WRITE_FAILED) says
 * where. An existing non-empty `dir` is never touched: creating the recorder fails with
 * RECORD_EXISTS instead.
 */
export async function createRunRecorder(
  dir: string,
  spec: ExperimentSpec,
  backend: BackendInfo,
): Promise<RunRecorder> {
  const target = resolve(dir);
  if (await isNonEmptyDir(target)) throw recordExistsError(dir);
  const staging = stagingPath(target);
  const startedAt = new Date().toISOString();
  let metrics: FileHandle | null = null;
  try {
    await makeStagingDir(staging);
    // The owner first: a partial without one could be a run in progress of an older gradlab.
    await writeStagingOwner(staging, { startedAt, environment: nodeEnvironment(), backend });
    await writeFileAtomic(join(staging, 'spec.json'), `${JSON.stringify(spec, null, 2)}\n`);
    metrics = await open(join(staging, 'metrics.jsonl'), 'a');
  } catch (e) {
    // Nothing has run yet: there is nothing to keep.
    await metrics?.close().catch(() => {});
    await rm(staging, { recursive: true, force: true }).catch(() => {});
    throw isWriteRefusal(e) ? startFailedError(e, dir) : e;
  }
  let pretrain: FileHandle | null = null;
  let finishing = false;
  const closeFiles = async () => {
    await metrics?.close();
    await pretrain?.close();
    metrics = null;
    pretrain = null;
  };

  const finish = async (result: RunResult) => {
    finishing = true;
    const manifest: RunManifest = {
      gradlab: 1,
      status: result.status,
      startedAt,
      finishedAt: new Date().toISOString(),
      environment: nodeEnvironment(),
      backend,
      result,
    };
    try {
      await closeFiles();
      await writeFileAtomic(join(staging, 'run.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      await publishStaging(staging, target, dir);
    } catch (e) {
      // Never remove the staging directory here: it holds the whole run but run.json.
      throw isWriteRefusal(e) ? finishFailedError(e, dir, staging) : e;
    }
    await dropStagingOwner(target);
  };

  return {
    dir: target,
    async listener(event: RunEvent) {
      if (event.type === 'step' && metrics) {
        await metrics.write(`${JSON.stringify(metricsRow(event))}\n`);
      } else if (event.type === 'pretrain' && metrics) {
        pretrain ??= await open(join(staging, 'pretrain.jsonl'), 'a');
        await pretrain.write(`${JSON.stringify(pretrainRow(event))}\n`);
      } else if (event.type === 'finished') {
        await finish(event.result);
      }
    },
    async abandon() {
      if (finishing) return;
      await closeFiles();
      await rm(staging, { recursive: true, force: true });
    },
  };
}
