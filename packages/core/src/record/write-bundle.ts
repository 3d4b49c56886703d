import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GradlabError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import type { RunBundle } from './bundle.js';
import {
  isNonEmptyDir,
  makeStagingDir,
  publishStaging,
  recordExistsError,
  stagingPath,
} from './staging.js';
import { dropStagingOwner, writeStagingOwner } from './staging-owner.js';
import { finishFailedError, isWriteRefusal, startFailedError } from './write-failure.js';

/** The files of a run directory; a bundle's extra files may not take their names. */
const RECORD_FILES = ['spec.json', 'metrics.jsonl', 'pretrain.jsonl', 'run.json'];

export interface WriteRunBundleOptions {
  /**
   * More files to put in the directory with the record (such as report.html), by plain file
   * name. They are written before run.json, so they are there as soon as the directory is.
   */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * Writes a run bundle (a run that happened elsewhere: in a worker process, on another
 * machine) as an ordinary run directory, the one createRunRecorder would have written:
 * spec.json, metrics.jsonl, pretrain.jsonl when there was pre-training, run.json. Like a
 * recorded run it appears complete or not at all (staging directory, run.json last, rename),
 * and an existing non-empty `dir` is never touched (RECORD_EXISTS). Returns the absolute path.
 */
export async function writeRunBundle(
  dir: string,
  bundle: RunBundle,
  options: WriteRunBundleOptions = {},
): Promise<string> {
  const files = Object.entries(options.files ?? {});
  for (const [name] of files) {
    if (RECORD_FILES.includes(name) || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `files: ${JSON.stringify(name)} cannot be added to a run directory: give a plain file name other than ${RECORD_FILES.join(', ')}`,
      );
    }
  }
  const target = resolve(dir);
  if (await isNonEmptyDir(target)) throw recordExistsError(dir);
  const staging = stagingPath(target);
  let staged = false;
  try {
    await makeStagingDir(staging);
    await writeStagingOwner(staging, {
      startedAt: bundle.run.startedAt,
      environment: bundle.run.environment,
      backend: bundle.run.backend,
    });
    const lines = (rows: readonly unknown[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');
    await writeFile(join(staging, 'spec.json'), `${JSON.stringify(bundle.spec, null, 2)}\n`);
    await writeFile(join(staging, 'metrics.jsonl'), lines(bundle.metrics));
    if (bundle.pretraining.length > 0) {
      await writeFile(join(staging, 'pretrain.jsonl'), lines(bundle.pretraining));
    }
    for (const [name, content] of files) await writeFile(join(staging, name), content);
    staged = true;
    await writeFileAtomic(join(staging, 'run.json'), `${JSON.stringify(bundle.run, null, 2)}\n`);
    await publishStaging(staging, target, dir);
  } catch (e) {
    // Once everything but run.json is staged, the staging directory is the record: it is kept
    // (as publishStaging keeps it on RECORD_EXISTS) and the error says where. Before that the
    // caller still holds the whole bundle, and a part on disk is only clutter.
    if (staged && isWriteRefusal(e)) throw finishFailedError(e, dir, staging);
    if (!(e instanceof GradlabError && e.code === 'RECORD_EXISTS')) {
      await rm(staging, { recursive: true, force: true }).catch(() => {});
    }
    throw isWriteRefusal(e) ? startFailedError(e, dir) : e;
  }
  await dropStagingOwner(target);
  return target;
}
