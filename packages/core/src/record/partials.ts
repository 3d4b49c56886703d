import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isStagingName } from './staging.js';
import { ownerState, readStagingOwner, type StagingOwner } from './staging-owner.js';

/**
 * A partial without an owner file (written by an older gradlab, or killed in the instant
 * between creating it and naming its owner) counts as abandoned once nothing in it has changed
 * for this long: until then it may be a run still going.
 */
export const UNOWNED_GRACE_MS = 60 * 60 * 1000;

/** A staging directory (`.NAME.partial-xxxxxxxx`) in a runs directory: a run never published. */
export interface PartialRun {
  /** The staging directory, absolute. */
  readonly path: string;
  /** The run directory it was to become, absolute. */
  readonly target: string;
  readonly owner: StagingOwner | null;
  /**
   * running: its process is alive here (never touched); elsewhere: written from another machine
   * (cannot be checked, never touched); unknown: no owner, recently changed; gone: abandoned.
   */
  readonly state: 'running' | 'elsewhere' | 'unknown' | 'gone';
  /** When anything in it last changed. */
  readonly modifiedAt: Date;
}

async function newestChange(dir: string): Promise<Date> {
  let newest = (await stat(dir)).mtimeMs;
  for (const name of await readdir(dir).catch(() => [])) {
    const s = await stat(join(dir, name)).catch(() => null);
    if (s && s.mtimeMs > newest) newest = s.mtimeMs;
  }
  return new Date(newest);
}

/** The partial runs in `runsDir` (none when it does not exist), oldest first. */
export async function listPartialRuns(runsDir: string, now = Date.now()): Promise<PartialRun[]> {
  const dir = resolve(runsDir);
  const names = (await readdir(dir).catch(() => [] as string[])).filter(isStagingName);
  const partials: PartialRun[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const modifiedAt = await newestChange(path).catch(() => null);
    if (!modifiedAt) continue; // renamed into place meanwhile
    const owner = await readStagingOwner(path);
    const state = owner
      ? ownerState(owner)
      : now - modifiedAt.getTime() > UNOWNED_GRACE_MS
        ? 'gone'
        : 'unknown';
    const target = join(dir, name.slice(1).replace(/\.partial-[0-9a-f]{8}$/, ''));
    partials.push({ path, target, owner, state, modifiedAt });
  }
  return partials.sort((a, b) => a.modifiedAt.getTime() - b.modifiedAt.getTime());
}
