import { availableParallelism } from 'node:os';
import type { Cell } from './expand.js';
import type { SweepStore } from './store.js';
import type { SweepEntry } from './sweep-file.js';
import { type WorkerPool, workerSettings } from './worker-pool.js';
import { WorkerProcess, type WorkerReply } from './worker-process.js';

export interface LocalOptions {
  /** Worker processes, each running one cell at a time (default: one per core). */
  readonly workers?: number;
  /**
   * Module each worker imports before its first cell, as a path or file: URL; importing it
   * must register the backends the cells use (the CLI passes its own).
   */
  readonly setup: string;
  /** Draw each cell's report.html in its worker (default true). */
  readonly reports?: boolean;
  /** Stops the sweep: no new cells; cells in flight are stopped and become pending again. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: SweepEvent) => void;
  /** Extra environment of the worker processes. */
  readonly env?: NodeJS.ProcessEnv;
  /** Node flags of the worker processes (e.g. --max-old-space-size=4096). */
  readonly execArgv?: readonly string[];
  /** Workers started beforehand, used first (the lanes start more when it runs out). */
  readonly pool?: WorkerPool;
}

export type SweepEvent =
  | { readonly type: 'start'; readonly cell: Cell }
  | {
      readonly type: 'finish';
      readonly cell: Cell;
      readonly entry: SweepEntry;
      /** Something went wrong beside the result (its report could not be drawn). */
      readonly warning: string | null;
    };

export interface LocalResult {
  /** Cells that ran to an entry (done or failed) in this call. */
  readonly ran: number;
  readonly done: number;
  readonly failed: number;
  /** The signal stopped the sweep before every pending cell had run. */
  readonly cancelled: boolean;
}

export const defaultWorkers = (): number => availableParallelism();

/**
 * Runs the store's pending cells on this machine, each in a worker process: `workers` lanes,
 * each with its own process that runs its cells one after another. A cell whose process dies
 * (a native crash, out of memory, killed) is recorded as failed with how it died, and a fresh
 * process takes the lane's next cell. Each outcome is written by the store: the run record
 * first, then the entry. Workers are started as workerSettings says, or taken from `pool`.
 *
 * Throws only when a worker cannot start at all (its setup module fails): a problem of the
 * sweep, not of a cell.
 */
export async function runLocal(store: SweepStore, o: LocalOptions): Promise<LocalResult> {
  const queue = [...store.pending];
  const lanes = Math.max(1, Math.min(o.workers ?? defaultWorkers(), queue.length));
  const reports = o.reports ?? true;
  const settings = workerSettings(lanes, o);
  const stop = new AbortController();
  const live = new Set<WorkerProcess>();
  const onAbort = () => {
    stop.abort();
    for (const w of live) w.stop();
  };
  o.signal?.addEventListener('abort', onAbort);
  let done = 0;
  let failed = 0;

  /** Writes a cell's outcome (record first, then entry) and reports it. */
  const record = async (cell: Cell, reply: WorkerReply): Promise<void> => {
    let entry: SweepEntry;
    let warning: string | null = null;
    if (reply.type === 'result') {
      const files = reply.report ? { 'report.html': reply.report } : undefined;
      entry = await store.finish(cell, reply.bundle, files);
      if (reply.reportError) {
        warning = `report.html was not drawn (${reply.reportError}); \`gradlab report\` on the cell's directory draws it`;
      }
    } else {
      entry = await store.fail(cell, reply.message);
    }
    if (entry.status === 'done') done++;
    else failed++;
    o.onEvent?.({ type: 'finish', cell, entry, warning });
  };

  const lane = async (): Promise<void> => {
    let worker: WorkerProcess | null = null;
    // The previous cell's record is written while the worker runs the next cell: the worker
    // never waits for the disk. One write per lane in flight; its failure stops the lane.
    let writing: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        if (stop.signal.aborted || queue.length === 0) return;
        if (!worker?.alive) {
          const pooled = o.pool?.take();
          worker = await (pooled ?? WorkerProcess.start({ setup: o.setup, ...settings }));
          live.add(worker);
          if (stop.signal.aborted) return;
        }
        const cell = queue.shift();
        if (!cell) return;
        await store.start(cell);
        o.onEvent?.({ type: 'start', cell });
        const reply = await worker.run(cell, reports);
        await writing;
        if (stop.signal.aborted && reply.type === 'crash') {
          await store.release(cell);
          return;
        }
        writing = record(cell, reply);
        // Handled here so that a failed write waits, unreported, for the `await` above.
        writing.catch(() => {});
      }
    } finally {
      try {
        await writing;
      } finally {
        if (worker) {
          worker.close();
          live.delete(worker);
        }
      }
    }
  };

  // A lane that throws (a worker that cannot start) stops the others: the sweep cannot go on.
  const guarded = () =>
    lane().catch((e: unknown) => {
      onAbort();
      throw e;
    });
  const settled = await Promise.allSettled(Array.from({ length: lanes }, guarded));
  o.pool?.close();
  o.signal?.removeEventListener('abort', onAbort);
  for (const w of live) w.stop();
  await store.flush();
  const error = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (error) throw error.reason;
  return { ran: done + failed, done, failed, cancelled: queue.length > 0 || stop.signal.aborted };
}
