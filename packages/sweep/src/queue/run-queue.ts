import type { Cell } from '../expand.js';
import type { LocalResult, SweepEvent } from '../local.js';
import type { SweepStore } from '../store.js';
import type { SweepEntry } from '../sweep-file.js';
import { type QueueOutcome, runSweepOnQueue } from './producer.js';

export interface QueueOptions {
  /** The queue's Redis: redis://HOST:PORT. */
  readonly url: string;
  /** Draw each cell's report.html on its worker (default true). */
  readonly reports?: boolean;
  /** Run the failed jobs still in the queue again (with the store's retryFailed). */
  readonly retryFailed?: boolean;
  /** Stops collecting: cells stay queued, and running the sweep again collects them. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: SweepEvent) => void;
  /** Redis lost or back, no worker on a queue. */
  readonly onNotice?: (message: string) => void;
  /** Attempts of a cell that fails without a record (default 2). */
  readonly attempts?: number;
  /** How often the queues are read (ms, default 500). */
  readonly pollMs?: number;
  /** How long Redis may be away mid-sweep before the sweep stops (ms, default 60 s). */
  readonly unreachableMs?: number;
  /** How long to wait for Redis at the start (ms, default 10 s). */
  readonly connectMs?: number;
}

/**
 * `runLocal`'s counterpart across machines: the store's pending cells go to the queue, and
 * each outcome that comes back is written by the store, in this process, once: the record
 * first, then its entry. Cells a worker took are "running" in sweep.json until they come back;
 * a sweep stopped before they do (Ctrl-C, Redis gone for too long) marks them pending again,
 * and the next run collects them from the queue, where they went on running.
 */
export async function runQueue(store: SweepStore, o: QueueOptions): Promise<LocalResult> {
  let done = 0;
  let failed = 0;
  const running = new Map<string, Cell>();
  const settle = async () => {
    for (const cell of running.values()) await store.release(cell);
    await store.flush();
  };
  let result: Awaited<ReturnType<typeof runSweepOnQueue>>;
  try {
    result = await runSweepOnQueue({
      url: o.url,
      cells: store.pending,
      recorded: store.keptCells,
      ...(o.reports !== undefined ? { reports: o.reports } : {}),
      ...(o.retryFailed !== undefined ? { retryFailed: o.retryFailed } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onNotice ? { onNotice: o.onNotice } : {}),
      ...(o.attempts !== undefined ? { attempts: o.attempts } : {}),
      ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}),
      ...(o.unreachableMs !== undefined ? { unreachableMs: o.unreachableMs } : {}),
      ...(o.connectMs !== undefined ? { connectMs: o.connectMs } : {}),
      onStart: async (cell) => {
        running.set(cell.id, cell);
        await store.start(cell);
        o.onEvent?.({ type: 'start', cell });
      },
      onOutcome: async (cell: Cell, outcome: QueueOutcome) => {
        let entry: SweepEntry;
        let warning: string | null = null;
        if (outcome.type === 'result') {
          const { bundle, report, reportError } = outcome.result;
          entry = await store.finish(cell, bundle, report ? { 'report.html': report } : undefined);
          if (reportError) {
            warning = `report.html was not drawn (${reportError}); \`gradlab report\` on the cell's directory draws it`;
          }
        } else {
          entry = await store.fail(cell, outcome.message);
        }
        running.delete(cell.id);
        if (entry.status === 'done') done++;
        else failed++;
        o.onEvent?.({ type: 'finish', cell, entry, warning });
      },
    });
  } catch (e) {
    await settle();
    throw e;
  }
  await settle();
  return { ran: done + failed, done, failed, cancelled: result.cancelled };
}
