import { join, relative } from 'node:path';
import type { ExperimentSpec } from '@gradlab/core';
import { readRunRecord } from '@gradlab/core/node';
import { plannedRuns, type RecordedRun, type Study, type StudyScale } from '@gradlab/experiments';
import {
  type Cell,
  cellId,
  groupStores,
  openSweepStore,
  parseSweep,
  runLocal,
  type SweepEvent,
  type SweepStore,
  WorkerPool,
  workerSettings,
} from '@gradlab/sweep';
import { colorEnabled } from '../render/style.js';
import { sweepProgress } from '../render/sweep-progress.js';
import { fitLine, outputWidth } from '../render/width.js';

/** Where a study's runs are kept, inside its directory: a sweep directory (sweep.json, cells/). */
export const STUDY_RUNS_DIR = 'runs';

/** The worker processes import this to register the same backends as this process. */
const WORKER_SETUP = new URL('../sweep-worker-setup.js', import.meta.url).href;

// biome-ignore lint/suspicious/noExplicitAny: each study has its own settings type
type AnyStudy = Study<any>;

/** One planned study's runs as sweep cells, in its own sweep directory. */
interface StudySweep {
  readonly study: AnyStudy;
  /** The study's directory (verify.json, report.html, runs/). */
  readonly dir: string;
  /** Each planned run and the cell that runs it (equal runs share a cell). */
  readonly runs: readonly { readonly label: string; readonly cell: Cell }[];
  readonly store: SweepStore;
}

export interface StudyCellsOptions {
  readonly scale: StudyScale;
  /** The backend every run uses, as `useBackend` names it. */
  readonly backend: string;
  readonly dirOf: (study: AnyStudy) => string;
  readonly workers: number;
  /** Run the cells on `gradlab worker`s through this Redis instead of local workers. */
  readonly queue?: string;
  /** Run the cells that failed before again instead of keeping their failure. */
  readonly retryFailed?: boolean;
  readonly signal: AbortSignal;
  /** Progress and notes on stderr (null: silent). */
  readonly stderr: NodeJS.WriteStream | null;
}

export interface StudyCellsResult {
  /** Every planned study's runs as the engine left them, by study name. */
  readonly recorded: ReadonlyMap<string, readonly RecordedRun[]>;
  /** Seconds each study's runs took to train (their records' own times, summed). */
  readonly seconds: ReadonlyMap<string, number>;
  readonly cancelled: boolean;
}

/** A study's runs as cells: each cell named by study and run label. */
function cellsOf(study: AnyStudy, scale: StudyScale, backend: string) {
  return plannedRuns(study, scale).map(({ label, spec }) => {
    const resolved = spec as ExperimentSpec;
    const cell: Cell = {
      id: cellId(resolved, backend),
      params: { study: study.name, run: label },
      spec: resolved,
      backend,
    };
    return { label, cell };
  });
}

/**
 * The sweep a study's runs make, for its sweep.json: the first run as the base and every run a
 * variant, so that the directory describes itself like any sweep's.
 */
function sweepOf(study: AnyStudy, cells: readonly [Cell, ...Cell[]], backend: string) {
  return parseSweep(
    {
      gradlab: 1,
      name: `verify-${study.name}`,
      description: `The training runs of the study "${study.name}" (gradlab verify).`,
      base: cells[0].spec,
      backends: [backend],
      variants: cells.map((c) => {
        const { gradlab: _v, ...fields } = c.spec;
        return fields;
      }),
    },
    `the runs of study "${study.name}"`,
  );
}

/** The study's sweep directory, opened; null for a study that trains nothing. */
async function openStudySweep(study: AnyStudy, o: StudyCellsOptions): Promise<StudySweep | null> {
  const runs = cellsOf(study, o.scale, o.backend);
  const unique = [...new Map(runs.map((r) => [r.cell.id, r.cell])).values()];
  if (!isNonEmpty(unique)) return null;
  const dir = o.dirOf(study);
  const store = await openSweepStore(
    join(dir, STUDY_RUNS_DIR),
    sweepOf(study, unique, o.backend),
    unique,
    { retryFailed: Boolean(o.retryFailed) },
  );
  return { study, dir, runs, store };
}

const isNonEmpty = <T>(xs: readonly T[]): xs is readonly [T, ...T[]] => xs.length > 0;

/** Each planned run of a study with its record, read back from the study's sweep directory. */
async function recordedRuns(s: StudySweep): Promise<{ runs: RecordedRun[]; seconds: number }> {
  const entries = new Map(s.store.entries().map((e) => [e.id, e]));
  let seconds = 0;
  const counted = new Set<string>();
  const runs: RecordedRun[] = [];
  for (const { label, cell } of s.runs) {
    const entry = entries.get(cell.id);
    if (!entry?.run) {
      runs.push({
        label,
        record: null,
        error: entry?.error ?? `the run is ${entry?.status ?? 'missing'}`,
      });
      continue;
    }
    const path = join(s.store.dir, entry.run);
    if (!counted.has(cell.id)) seconds += entry.seconds ?? 0;
    counted.add(cell.id);
    runs.push({ label, record: await readRunRecord(path), path: relative(s.dir, path) });
  }
  return { runs, seconds };
}

/**
 * Runs the training runs of every planned study through the sweep engine: all of them in one
 * queue, on `workers` local worker processes (or on Redis workers), each recorded in its
 * study's runs/ directory. Runs recorded by an earlier verify into the same directories are
 * kept, not trained again. Returns every run with its record for the judges.
 */
export async function runStudyCells(
  selected: readonly AnyStudy[],
  o: StudyCellsOptions,
): Promise<StudyCellsResult> {
  let pool: WorkerPool | null = null;
  try {
    const sweeps: StudySweep[] = [];
    for (const study of selected) {
      const sweep = await openStudySweep(study, o);
      if (sweep) sweeps.push(sweep);
    }
    const recorded = new Map<string, readonly RecordedRun[]>(selected.map((s) => [s.name, []]));
    const seconds = new Map<string, number>(selected.map((s) => [s.name, 0]));
    if (!isNonEmpty(sweeps)) return { recorded, seconds, cancelled: false };
    const group = groupStores(sweeps.map((s) => s.store));
    const note = (s: string) => o.stderr?.write(`${fitLine(s, outputWidth(o.stderr), '  ')}\n`);
    const total = sweeps.reduce((n, s) => n + s.runs.length, 0);
    const lanes = Math.min(o.workers, group.pending.length);
    const where = o.queue ? 'on the queue' : `on ${lanes} worker${lanes === 1 ? '' : 's'}`;
    const kept = group.kept > 0 ? `${group.kept} kept from before, ` : '';
    const toRun =
      group.pending.length > 0 ? `${group.pending.length} to train ${where}` : 'none to train';
    note(
      `${total} training runs of ${sweeps.length} ${sweeps.length === 1 ? 'study' : 'studies'}: ${kept}${toRun}`,
    );
    let cancelled = false;
    if (group.pending.length > 0) {
      if (!o.queue) {
        pool = WorkerPool.start({ size: lanes, setup: WORKER_SETUP, ...workerSettings(lanes) });
        pool.warm([o.backend], true);
      }
      const progress = o.stderr
        ? sweepProgress(o.stderr, group.pending.length, ['study', 'run'], colorEnabled(o.stderr))
        : null;
      const onEvent = (e: SweepEvent) => progress?.onEvent(e);
      try {
        const result = o.queue
          ? await (await import('@gradlab/sweep/queue')).runQueue(group, {
              url: o.queue,
              retryFailed: Boolean(o.retryFailed),
              signal: o.signal,
              onEvent,
              onNotice: note,
            })
          : await runLocal(group, {
              workers: o.workers,
              setup: WORKER_SETUP,
              signal: o.signal,
              onEvent,
              ...(pool ? { pool } : {}),
            });
        cancelled = result.cancelled;
      } finally {
        progress?.stop();
      }
    }
    for (const s of sweeps) {
      const r = await recordedRuns(s);
      recorded.set(s.study.name, r.runs);
      seconds.set(s.study.name, r.seconds);
    }
    return { recorded, seconds, cancelled };
  } finally {
    pool?.close();
  }
}
