import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GradlabError } from '@gradlab/core';

/** 20261123-142312: sortable, and safe in a directory name on every OS. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** runs/<time>-<what>, the default place of a run or comparison. */
export function defaultOut(what: string): string {
  return join('runs', `${timestamp()}-${what}`);
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
