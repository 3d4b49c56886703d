import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GradlabError } from '@gradlab/core';
import { SWEEP_FILE, SWEEP_LOCK } from '@gradlab/sweep';
import { STUDY_RUNS_DIR } from './verify-cells.js';

/** The kind and name (or target) of a directory's verify.json, or null without a readable one. */
async function verifyJsonOf(
  dir: string,
): Promise<{ kind?: unknown; name?: unknown; target?: unknown } | null> {
  try {
    return JSON.parse(await readFile(join(dir, 'verify.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** Whether `dir` is the directory of a verification of one study named `name`. */
async function isStudyDir(dir: string, name: string): Promise<boolean> {
  const v = await verifyJsonOf(dir);
  if (v) return v.kind === 'study-verification' && v.name === name;
  // Killed before its first verify.json: the study's runs are there.
  return existsSync(join(dir, STUDY_RUNS_DIR, SWEEP_FILE));
}

async function isVerificationOf(dir: string, target: string, entries: readonly string[]) {
  if (target !== 'all') return isStudyDir(dir, target);
  const v = await verifyJsonOf(dir);
  if (v) return v.kind === 'verify' && v.target === 'all';
  for (const name of entries) if (await isStudyDir(join(dir, name), name)) return true;
  return false;
}

/**
 * The directory a verification writes: a new or empty one, or one an earlier verification of
 * the same target wrote, which it resumes (its recorded training runs are kept and not run
 * again; the judgement and the pages are written anew). Anything else is refused: gradlab never
 * writes over other runs. Call it only after every input has been validated.
 */
export async function prepareVerifyDir(path: string, target: string): Promise<string> {
  const dir = resolve(path);
  let entries: string[] = [];
  try {
    entries = (await readdir(dir)).filter((n) => n !== SWEEP_LOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (entries.length > 0 && !(await isVerificationOf(dir, target, entries))) {
    throw new GradlabError(
      'RECORD_EXISTS',
      `${dir} already exists and is not empty, and it is not a verification of "${target}"; gradlab writes a verification into a new or empty directory, or resumes its own verification of the same target there. Choose another --out.`,
    );
  }
  await mkdir(dir, { recursive: true });
  return dir;
}
