import { dirname } from 'node:path';
import { GradlabError } from '../errors.js';

/** Filesystem errors that say the disk or the directory refused, not that gradlab is wrong. */
const HINTS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the filesystem is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'an input/output error',
  EFBIG: 'the file is too large for the filesystem',
};

/** "ENOSPC (the disk is full)", or the error's message when it is no filesystem refusal. */
export function describeWriteError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && code in HINTS) return `${code}: ${HINTS[code]}`;
  return e instanceof Error ? e.message : String(e);
}

/** Whether `e` is the filesystem refusing a write (as opposed to a bug). */
export function isWriteRefusal(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && code in HINTS;
}

/**
 * The error of a finished run whose record could not be completed. The staging directory is
 * never removed on such a failure (an hour of training must not vanish because run.json did not
 * fit): the message says where it is and how to complete it once the disk has room again.
 */
export function finishFailedError(e: unknown, dir: string, staging: string): GradlabError {
  return new GradlabError(
    'RECORD_WRITE_FAILED',
    `the run ended but its record could not be completed in ${dir} (${describeWriteError(e)}). Everything written so far is kept in ${staging}. Make room (or make the directory writable), then \`gradlab runs clean --finish --runs-dir ${dirname(staging)}\` completes it.`,
  );
}

/** The error of a record that could not be started: nothing of it is kept. */
export function startFailedError(e: unknown, dir: string): GradlabError {
  return new GradlabError(
    'RECORD_WRITE_FAILED',
    `cannot write a run record to ${dir} (${describeWriteError(e)}). Choose another --out directory, or make room there.`,
  );
}
