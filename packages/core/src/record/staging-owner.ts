import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { BackendInfo } from '../backends/adapter.js';
import type { RunManifest } from './types.js';

/**
 * The file in a staging directory that names the process writing it, so that `gradlab runs
 * clean` can tell a run still going (never removed) from one whose process is gone. It also
 * keeps what run.json would need besides the metrics (start time, machine, backend), so a
 * finished run whose run.json could not be written can be recovered.
 */
export const STAGING_OWNER = '.gradlab-writer.json';

export interface StagingOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly environment?: RunManifest['environment'];
  readonly backend?: BackendInfo;
}

export async function writeStagingOwner(
  staging: string,
  run: Pick<StagingOwner, 'startedAt' | 'environment' | 'backend'>,
): Promise<void> {
  const owner: StagingOwner = { pid: process.pid, host: hostname(), ...run };
  await writeFile(join(staging, STAGING_OWNER), `${JSON.stringify(owner, null, 2)}\n`);
}

/** The owner of a staging directory; null when it has no (readable) owner file. */
export async function readStagingOwner(staging: string): Promise<StagingOwner | null> {
  try {
    const o = JSON.parse(await readFile(join(staging, STAGING_OWNER), 'utf8')) as StagingOwner;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? o : null;
  } catch {
    return null; // none (an older gradlab), or half-written by a process killed meanwhile
  }
}

/**
 * Whether the owner may still be writing: its process runs on this machine (or we cannot tell:
 * another machine sharing the filesystem). A reused pid reads as alive, which only keeps a
 * partial longer: the safe side.
 */
export function ownerState(owner: StagingOwner): 'running' | 'gone' | 'elsewhere' {
  if (owner.host !== hostname()) return 'elsewhere';
  try {
    process.kill(owner.pid, 0);
    return 'running';
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? 'running' : 'gone';
  }
}

/**
 * Removes the owner file from a published run directory. It is removed after the rename, not
 * before, so a run in progress always has one; a kill in between leaves a hidden file that
 * readers ignore.
 */
export async function dropStagingOwner(runDir: string): Promise<void> {
  await rm(join(runDir, STAGING_OWNER), { force: true }).catch(() => {});
}
