import { mkdir, readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { GradlabError } from '@gradlab/core';
import { safeDirName } from '../safe-dir-name.js';

/** 20261123-142312: sortable, and safe in a directory name on every OS. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** Where runs go when --out is not given. */
export const RUNS_DIR = 'runs';

/**
 * runs/<time>-<what>, the default place of a run or comparison. `what` holds a spec's name,
 * which is anything its author typed: it becomes a safe directory name, and the result is
 * checked to be a directory directly inside runs/ (a name must never place a run elsewhere).
 */
export function defaultOut(what: string): string {
  const out = join(RUNS_DIR, `${timestamp()}-${safeDirName(what)}`);
  const inside = relative(resolve(RUNS_DIR), resolve(out));
  if (inside === '' || inside.startsWith('..') || inside.includes('/') || inside.includes('\\')) {
    throw new Error(`the default run directory ${out} is not inside ${RUNS_DIR}/`);
  }
  return out;
}

/**
 * Creates the directory of a comparison, refusing one that exists and is not empty: gradlab
 * never writes over earlier runs. Call it only after every input has been validated.
 */
export async function prepareComparisonDir(dir: string): Promise<string> {
  const out = resolve(dir);
  let entries: string[] = [];
  try {
    entries = await readdir(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (entries.length > 0) {
    throw new GradlabError(
      'RECORD_EXISTS',
      `${out} already exists and is not empty; gradlab never overwrites runs. Choose another --out.`,
    );
  }
  await mkdir(out, { recursive: true });
  return out;
}
