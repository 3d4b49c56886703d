import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GradlabError } from '../errors.js';

/**
 * How a run directory appears complete or not at all: its files go into a hidden staging
 * directory beside the target, which is renamed into place once everything, run.json last,
 * is written. A killed writer leaves only `.name.partial-xxxx`, which no reader takes for a run.
 */
export async function isNonEmptyDir(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    return !s.isDirectory() || (await readdir(path)).length > 0;
  } catch {
    return false;
  }
}

/** The staging directory's name for `target` (an absolute path). */
export function stagingPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.partial-${randomBytes(4).toString('hex')}`);
}

/**
 * Creates a staging directory and its missing parents. Node's recursive mkdir reports ENOENT
 * where a parent cannot be created (a read-only filesystem, no permission); the first missing
 * parent is then made alone, which fails with the real reason (EROFS, EACCES) for the message.
 */
export async function makeStagingDir(staging: string): Promise<void> {
  try {
    await mkdir(staging, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    let missing = staging;
    while (dirname(missing) !== missing && !(await stat(dirname(missing)).catch(() => null))) {
      missing = dirname(missing);
    }
    await mkdir(missing);
    throw e;
  }
}

/** Whether a directory entry is a staging directory left by a writer that never finished. */
export function isStagingName(name: string): boolean {
  return /^\..+\.partial-[0-9a-f]{8}$/.test(name);
}

export function recordExistsError(dir: string): GradlabError {
  return new GradlabError(
    'RECORD_EXISTS',
    `${dir} already exists and is not empty; gradlab never overwrites a run. Choose another --out directory or remove that one.`,
  );
}

/**
 * Renames a finished staging directory into place. A target that became non-empty meanwhile is
 * never overwritten: RECORD_EXISTS, and the staging directory is kept for the user.
 */
export async function publishStaging(staging: string, target: string, dir: string): Promise<void> {
  if (await isNonEmptyDir(target)) {
    throw new GradlabError(
      'RECORD_EXISTS',
      `${dir} appeared while the run was going; the finished record is kept at ${staging}`,
    );
  }
  await rm(target, { recursive: true, force: true }); // an empty directory, if any
  await rename(staging, target);
}
