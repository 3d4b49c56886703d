import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GradlabError, type RunBundle } from '@gradlab/core';
import {
  isStagingName,
  type RunRecord,
  readRunRecord,
  writeFileAtomic,
  writeRunBundle,
} from '@gradlab/core/node';
import type { z } from 'zod';
import { type Cell, sweepAxes } from './expand.js';
import { SWEEP_LOCK } from './lock.js';
import type { SweepSpec } from './schema.js';
import { type CellSummary, firstFullStep, summarizeBundle, summarizeRun } from './summary.js';
import { SWEEP_FILE_KIND, type SweepEntry, SweepFile } from './sweep-file.js';

export const SWEEP_FILE = 'sweep.json';
export const CELLS_DIR = 'cells';

/** Where a cell's run record lives, relative to the sweep directory. */
export const cellRunPath = (id: string): string => `${CELLS_DIR}/${id}`;

export interface SweepStore {
  /** The sweep directory (absolute). */
  readonly dir: string;
  /** The cells still to run, in sweep order. */
  readonly pending: readonly Cell[];
  /** Cells whose result was kept from before (done, or failed without --retry-failed). */
  readonly kept: number;
  /** Those cells themselves, in sweep order. */
  readonly keptCells: readonly Cell[];
  /** Every entry of sweep.json, in sweep order (a snapshot). */
  entries(): SweepEntry[];
  /** A worker takes the cell: "running"; an older record of it (a failed run) is removed. */
  start(cell: Cell): Promise<void>;
  /**
   * The cell ran: its record is written to cells/<id>/ (with `files`, e.g. report.html),
   * completely, and only then does its entry say so. Returns the entry.
   */
  finish(
    cell: Cell,
    bundle: RunBundle,
    files?: Readonly<Record<string, string>>,
  ): Promise<SweepEntry>;
  /** The cell has no record: its worker died, or its backend could not start. */
  fail(cell: Cell, error: string): Promise<SweepEntry>;
  /** The cell goes back to "pending" (the sweep was stopped while it ran). */
  release(cell: Cell): Promise<void>;
  /** Resolves once sweep.json holds every change made so far. */
  flush(): Promise<void>;
}

export interface OpenOptions {
  /** Run failed cells again instead of keeping their failure. */
  readonly retryFailed?: boolean;
}

function pendingEntry(cell: Cell, attempts: number): SweepEntry {
  return {
    id: cell.id,
    params: { ...cell.params },
    status: 'pending',
    run: null,
    backend: null,
    verdict: null,
    worstVerdict: null,
    finalLoss: null,
    accuracy: null,
    steps: null,
    seconds: null,
    layers: null,
    signalRatio: null,
    initialGradientRatio: null,
    error: null,
    attempts,
    finishedAt: null,
  };
}

function resultEntry(cell: Cell, s: CellSummary, attempts: number, finishedAt: string): SweepEntry {
  return {
    ...pendingEntry(cell, attempts),
    status: s.status === 'complete' ? 'done' : 'failed',
    run: cellRunPath(cell.id),
    backend: s.backend,
    verdict: s.verdict,
    worstVerdict: s.worstVerdict,
    finalLoss: s.finalLoss,
    accuracy: s.accuracy,
    steps: s.steps,
    seconds: s.seconds,
    layers: s.layers.map((l) => ({ ...l })),
    signalRatio: s.signalRatio,
    initialGradientRatio: s.initialGradientRatio,
    error: s.status === 'complete' ? null : (s.error ?? `the run ended ${s.status}`),
    finishedAt,
  };
}

/**
 * A cell's record as the readers check it (version, shape of run.json, every metrics line), or
 * null: a record that does not read whole is no result, and the cell runs again.
 */
async function readCellRecord(dir: string, id: string): Promise<RunRecord | null> {
  try {
    return await readRunRecord(join(dir, CELLS_DIR, id));
  } catch {
    return null;
  }
}

/**
 * Reads and validates a sweep directory's sweep.json (for reports and tools). Throws
 * INVALID_SWEEP naming the file and field; RECORD_INCOMPLETE where there is no sweep.json.
 */
export async function readSweep(dir: string): Promise<SweepFile> {
  const path = join(dir, SWEEP_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new GradlabError(
      'RECORD_INCOMPLETE',
      `${dir} has no ${SWEEP_FILE}: it is not a gradlab sweep directory.`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new GradlabError(
      'INVALID_SWEEP',
      `${path} is not valid JSON (${(e as Error).message}); gradlab writes it atomically, so it was edited: restore it or choose another --out.`,
    );
  }
  // A newer gradlab's index: say so, rather than what this one makes of its fields.
  const version = (raw as { gradlab?: unknown } | null)?.gradlab;
  if (typeof version === 'number' && version > 1) {
    throw new GradlabError(
      'INVALID_SWEEP',
      `${path} is in sweep format version ${version}, from a newer gradlab; this one reads version 1. Upgrade gradlab to read it.`,
    );
  }
  const parsed = SweepFile.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0] as z.core.$ZodIssue;
  throw new GradlabError(
    'INVALID_SWEEP',
    `${path} is not a gradlab sweep index: ${first.path.join('.') || '(file)'}: ${first.message}. Restore it, or choose another --out.`,
  );
}

async function listDir(dir: string): Promise<string[] | null> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Opens (or creates) a sweep directory for these cells and works out what is left to run.
 * A cell whose complete record is in cells/<id>/ is done, whatever sweep.json said (a sweep
 * killed between writing a record and its entry loses nothing); an entry that said "done"
 * without its record is run again; "running" entries of a killed sweep are pending again;
 * failed cells stay failed unless `retryFailed`. Entries of cells no longer in the sweep leave
 * sweep.json, but their records stay in cells/ and come back if the cells do. A directory
 * that holds anything but a sweep is refused (RECORD_EXISTS): gradlab never writes over runs.
 */
export async function openSweepStore(
  dirPath: string,
  sweep: SweepSpec,
  cells: readonly Cell[],
  o: OpenOptions = {},
): Promise<SweepStore> {
  const dir = resolve(dirPath);
  const listing = await listDir(dir);
  const previous = listing?.includes(SWEEP_FILE) ? await readSweep(dir) : null;
  // The lock file of the sweep command that opens this store (lock.ts) may precede sweep.json.
  if (!previous && listing && listing.some((name) => name !== SWEEP_LOCK)) {
    throw new GradlabError(
      'RECORD_EXISTS',
      `${dir} is not empty and holds no ${SWEEP_FILE}; gradlab writes a sweep only into a new or empty directory, or one of its own sweeps. Choose another --out.`,
    );
  }
  const cellsDir = join(dir, CELLS_DIR);
  // Staging directories of records a killed sweep never finished writing.
  for (const name of (await listDir(cellsDir)) ?? []) {
    if (isStagingName(name)) await rm(join(cellsDir, name), { recursive: true, force: true });
  }

  const before = new Map(previous?.cells.map((e) => [e.id, e]));
  const entries = new Map<string, SweepEntry>();
  const pending: Cell[] = [];
  for (const cell of cells) {
    const old = before.get(cell.id);
    const attempts = old?.attempts ?? 0;
    const record = await readCellRecord(dir, cell.id);
    const manifest = record?.manifest;
    let entry: SweepEntry;
    if (record && manifest && manifest.status !== 'cancelled') {
      entry = resultEntry(
        cell,
        summarizeRun(manifest, firstFullStep(record.metrics)),
        Math.max(1, attempts),
        manifest.finishedAt,
      );
      if (entry.status === 'failed' && o.retryFailed) entry = pendingEntry(cell, attempts);
    } else if (old?.status === 'failed' && !o.retryFailed) {
      entry = { ...old, params: { ...cell.params }, run: null };
    } else {
      entry = pendingEntry(cell, attempts);
    }
    entries.set(cell.id, entry);
    if (entry.status === 'pending') pending.push(cell);
  }

  const createdAt = previous?.createdAt ?? new Date().toISOString();
  const axes = sweepAxes(cells).map((a) => ({ name: a.name, values: [...a.values] }));
  const render = (): string => {
    const file: SweepFile = {
      gradlab: 1,
      kind: SWEEP_FILE_KIND,
      name: sweep.name,
      sweep,
      axes,
      createdAt,
      updatedAt: new Date().toISOString(),
      cells: [...entries.values()],
    };
    return `${JSON.stringify(file, null, 2)}\n`;
  };

  // Writes coalesce: while one is going, later changes wait and go out together in the next.
  // A failed write is kept and thrown by every later persist and flush.
  let writing: Promise<void> | null = null;
  let dirty = false;
  let failure: unknown = null;
  const check = () => {
    if (failure) throw failure;
  };
  const persist = (): Promise<void> => {
    dirty = true;
    writing ??= (async () => {
      try {
        while (dirty) {
          dirty = false;
          await writeFileAtomic(join(dir, SWEEP_FILE), render());
        }
      } catch (e) {
        failure ??= e;
      } finally {
        writing = null;
      }
    })();
    return writing.then(check);
  };
  await mkdir(cellsDir, { recursive: true });
  await persist();

  const update = (cell: Cell, change: (e: SweepEntry) => SweepEntry): SweepEntry => {
    const e = change(entries.get(cell.id) ?? pendingEntry(cell, 0));
    entries.set(cell.id, e);
    return e;
  };
  return {
    dir,
    pending,
    kept: cells.length - pending.length,
    keptCells: cells.filter((c) => entries.get(c.id)?.status !== 'pending'),
    entries: () => [...entries.values()].map((e) => ({ ...e })),
    async start(cell) {
      update(cell, (e) => ({ ...pendingEntry(cell, e.attempts + 1), status: 'running' }));
      // "running" claims nothing: the cell need not wait for it to reach the disk.
      persist().catch(() => {});
      await rm(join(dir, cellRunPath(cell.id)), { recursive: true, force: true });
    },
    async finish(cell, bundle, files) {
      await writeRunBundle(join(dir, cellRunPath(cell.id)), bundle, files ? { files } : {});
      const e = update(cell, (old) =>
        resultEntry(cell, summarizeBundle(bundle), old.attempts, bundle.run.finishedAt),
      );
      await persist();
      return { ...e };
    },
    async fail(cell, error) {
      const e = update(cell, (old) => ({
        ...pendingEntry(cell, old.attempts),
        status: 'failed',
        error,
        finishedAt: new Date().toISOString(),
      }));
      await persist();
      return { ...e };
    },
    async release(cell) {
      update(cell, (old) => pendingEntry(cell, old.attempts));
      await persist();
    },
    flush: async () => {
      while (writing) await writing;
      check();
    },
  };
}
