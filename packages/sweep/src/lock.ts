import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { GradlabError } from '@gradlab/core';

/** The lock file of a sweep directory while a `gradlab sweep` runs in it. */
export const SWEEP_LOCK = 'sweep.lock';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export interface SweepLock {
  /** Removes the lock file (if it is still this process's). */
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const o = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string'
      ? { pid: o.pid, host: o.host, startedAt: String(o.startedAt) }
      : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw e;
    return null; // half-written by a process killed while creating it
  }
}

/**
 * Takes a sweep directory for this process: two sweeps writing one directory would each claim
 * the other's cells in sweep.json. The lock is a file created exclusively, naming its process;
 * a lock whose process is gone (killed, even with kill -9, on this machine) is taken over at
 * once, so a killed sweep resumes without ceremony. A lock held from another machine (a shared
 * filesystem) cannot be checked, and is respected: the message says how to remove it.
 */
export async function lockSweepDir(dirPath: string): Promise<SweepLock> {
  const dir = resolve(dirPath);
  const path = join(dir, SWEEP_LOCK);
  await mkdir(dir, { recursive: true });
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      return {
        async release() {
          const owner = await readOwner(path).catch(() => null);
          if (owner?.pid === me.pid && owner.host === me.host) await unlink(path).catch(() => {});
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner: LockOwner | null;
    try {
      owner = await readOwner(path);
    } catch {
      continue; // removed since: try again
    }
    const here = owner?.host === me.host;
    if (owner && (!here || alive(owner.pid))) {
      throw new GradlabError(
        'SWEEP_BUSY',
        `another gradlab sweep is running in ${dir} (process ${owner.pid}${here ? '' : ` on ${owner.host}`}, since ${owner.startedAt}): two sweeps in one directory would write over each other's records. Wait for it to end, or stop it (Ctrl-C; it resumes when run again), or choose another --out.${here ? '' : ` If that sweep is gone, delete ${path}.`}`,
      );
    }
    // Its process is gone: the lock is stale.
    await unlink(path).catch(() => {});
  }
  throw new GradlabError(
    'SWEEP_BUSY',
    `could not take ${path}: other processes keep taking it. Is another gradlab sweep starting in ${dir}?`,
  );
}
