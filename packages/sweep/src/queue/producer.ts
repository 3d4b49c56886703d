import { hostname } from 'node:os';
import { GradlabError } from '@gradlab/core';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Cell } from '../expand.js';
import { parseRedisUrl, type RedisTarget, redisOptions } from './connection.js';
import {
  type CellJobData,
  type CellJobResult,
  cellQueueName,
  JOB_VERSION,
  QUEUE_PREFIX,
} from './jobs.js';

/** What came back for a cell through the queue. */
export type QueueOutcome =
  /** It ran (completely, or failed in training): its record. */
  | { readonly type: 'result'; readonly result: CellJobResult }
  /** It could not run, on every attempt (its backend would not start, its process died). */
  | { readonly type: 'error'; readonly message: string };

export interface QueueSweepOptions {
  /** The queue's Redis: redis://HOST:PORT. */
  readonly url: string;
  /** The cells to run: only those the sweep has no record of. */
  readonly cells: readonly Cell[];
  /**
   * Cells the sweep already holds records of. A finished job of theirs still in Redis (a sweep
   * killed after writing a record but before removing its job) is removed at the start, so
   * nothing is left behind in the queue.
   */
  readonly recorded?: readonly Cell[];
  /**
   * Called once per cell, in this process, with what came back; the job leaves Redis only
   * once it resolves. It must write the record: the sweep's store does.
   */
  readonly onOutcome: (cell: Cell, outcome: QueueOutcome) => Promise<void>;
  /** A worker took the cell (seen at the next poll; a cell that ran between polls has none). */
  readonly onStart?: (cell: Cell) => Promise<void> | void;
  /** Something the user should know: Redis lost or back, no worker on a queue. */
  readonly onNotice?: (message: string) => void;
  /** Draw each cell's report.html where it runs (default true). */
  readonly reports?: boolean;
  /** Runs of a cell that fails without a record before it counts as failed (default 2). */
  readonly attempts?: number;
  /** A failed job still in the queue runs again instead of being collected as failed. */
  readonly retryFailed?: boolean;
  /**
   * Stops collecting. The cells stay queued and the workers go on with them; running the
   * sweep again collects them.
   */
  readonly signal?: AbortSignal;
  /** How often the queues are read (ms, default 500). */
  readonly pollMs?: number;
  /** How long Redis may be unreachable mid-sweep before the sweep stops (ms, default 60 s). */
  readonly unreachableMs?: number;
  /** How long to wait for Redis at the start (ms, default 10 s). */
  readonly connectMs?: number;
}

export interface QueueSweepResult {
  /** Cells whose outcome was handed to onOutcome. */
  readonly collected: number;
  /** The signal stopped the sweep before every cell came back. */
  readonly cancelled: boolean;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function unreachable(t: RedisTarget, why: string, lastError: string): GradlabError {
  return new GradlabError(
    'QUEUE_UNAVAILABLE',
    `${why} ${t.display}${lastError ? ` (${lastError})` : ''}. Nothing is lost: the cells recorded so far are in the sweep directory, and the others stay queued in Redis (or are queued again). Once Redis is reachable, run the same command again to pick up where it stopped.`,
  );
}

function resultProblem(value: unknown): string | null {
  const r = value as Partial<CellJobResult> | null;
  if (!r || typeof r !== 'object') return 'the job has no result';
  if (r.v !== JOB_VERSION) {
    return `the worker's result has version ${JSON.stringify(r.v)}, not ${JOB_VERSION}: the worker runs another gradlab version`;
  }
  if (!r.bundle?.run || !r.bundle.spec) return "the worker's result holds no run record";
  return null;
}

/**
 * Runs cells on a BullMQ queue in Redis and collects what comes back, on `gradlab worker`s
 * anywhere. Each cell is added to its backend's queue with its id as the job id, so adding it
 * again (a rerun of the sweep, another sweep with the same cell) queues nothing new. The
 * queues are read every `pollMs`; each finished job's result (the whole run record) is handed
 * to `onOutcome` exactly once, and the job is removed from Redis only after onOutcome
 * resolved: a sweep killed in between finds the job again on its next run. A job that
 * vanishes (Redis restarted without its data) is queued again. Redis may go away and come
 * back; after `unreachableMs` without it the sweep stops with QUEUE_UNAVAILABLE.
 */
export async function runSweepOnQueue(o: QueueSweepOptions): Promise<QueueSweepResult> {
  const target = parseRedisUrl(o.url);
  const pollMs = o.pollMs ?? 500;
  const unreachableMs = o.unreachableMs ?? 60_000;
  const connectMs = o.connectMs ?? 10_000;
  const notice = (s: string) => o.onNotice?.(s);

  const outstanding = new Map(o.cells.map((c) => [c.id, c]));
  const recorded = new Map((o.recorded ?? []).map((c) => [c.id, c]));
  if (outstanding.size === 0 && recorded.size === 0) return { collected: 0, cancelled: false };

  const connection = new Redis({
    ...redisOptions(target),
    connectionName: `gradlab:sweep:${hostname()}:${process.pid}`,
  });
  let up = false;
  let closing = false;
  let everUp = false;
  let downSince = Date.now();
  let lastError = '';
  let requeue = false;
  connection.on('error', (e: Error) => {
    lastError = e.message;
  });
  connection.on('ready', () => {
    if (everUp) {
      notice(`${target.display} is back`);
      requeue = true; // whatever Redis lost while it was away is queued again
    }
    up = true;
    everUp = true;
  });
  connection.on('close', () => {
    if (!up || closing) return;
    up = false;
    downSince = Date.now();
    notice(
      `lost ${target.display}${lastError ? ` (${lastError})` : ''}; waiting up to ${Math.round(unreachableMs / 1000)} s for it`,
    );
  });

  const queues = new Map<string, Queue<CellJobData, CellJobResult>>();
  for (const cell of [...outstanding.values(), ...recorded.values()]) {
    if (queues.has(cell.backend)) continue;
    const queue = new Queue<CellJobData, CellJobResult>(cellQueueName(cell.backend), {
      connection,
      prefix: QUEUE_PREFIX,
    });
    queue.on('error', () => {}); // the connection's own events say what happened
    queues.set(cell.backend, queue);
  }

  // The sweep stops when it is cancelled, when Redis stays away too long (the watchdog says
  // so), when a callback throws, or when every cell is back.
  let stopped: { cancelled: boolean; error: unknown } | null = null;
  let wake: () => void = () => {};
  let onHalt: () => void = () => {};
  const halted = new Promise<void>((resolve) => {
    onHalt = resolve;
  });
  const halt = (s: { cancelled: boolean; error: unknown }) => {
    stopped ??= s;
    wake();
    onHalt();
  };
  const onAbort = () => halt({ cancelled: true, error: null });
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener('abort', onAbort);
  const watchdog = setInterval(() => {
    if (up) return;
    const limit = everUp ? unreachableMs : connectMs;
    if (Date.now() - downSince < limit) return;
    halt({
      cancelled: false,
      error: unreachable(
        target,
        everUp
          ? `stopped after ${Math.round(limit / 1000)} s without the queue's Redis at`
          : "cannot reach the queue's Redis at",
        lastError,
      ),
    });
  }, 100);

  const reports = o.reports ?? true;
  const attempts = Math.max(1, o.attempts ?? 2);
  const enqueue = async (cells: readonly Cell[]) => {
    for (const [backend, queue] of queues) {
      const mine = cells.filter((c) => c.backend === backend);
      for (let i = 0; i < mine.length; i += 500) {
        await queue.addBulk(
          mine.slice(i, i + 500).map((cell) => ({
            name: 'cell',
            data: { v: JOB_VERSION, cell, report: reports },
            opts: { jobId: cell.id, attempts, removeOnComplete: false, removeOnFail: false },
          })),
        );
      }
    }
  };

  const started = new Set<string>();
  const retried = new Set<string>();
  let collected = 0;
  let writing: Promise<void> | null = null;
  /** A callback threw: its error is the sweep's, as it is. */
  let callbackFailed = false;
  const call = async (fn: () => Promise<void> | void) => {
    try {
      await fn();
    } catch (e) {
      callbackFailed = true;
      throw e;
    }
  };

  const markStarted = async (cell: Cell) => {
    if (started.has(cell.id)) return;
    started.add(cell.id);
    await call(() => o.onStart?.(cell));
  };

  /** A finished job: its outcome to onOutcome, then (only then) the job out of Redis. */
  const collect = async (queue: Queue<CellJobData, CellJobResult>, id: string) => {
    const cell = outstanding.get(id);
    if (!cell) return;
    const job: Job<CellJobData, CellJobResult> | undefined = await queue.getJob(id);
    if (!job) return; // gone since the poll: the requeue brings it back
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed') return;
    if (state === 'failed' && o.retryFailed && !retried.has(id)) {
      retried.add(id);
      await job.retry('failed');
      return;
    }
    let outcome: QueueOutcome;
    if (state === 'completed') {
      const problem = resultProblem(job.returnvalue);
      outcome = problem
        ? { type: 'error', message: problem }
        : { type: 'result', result: job.returnvalue };
    } else {
      outcome = { type: 'error', message: job.failedReason || 'the job failed without a reason' };
    }
    if (stopped) return;
    await markStarted(cell);
    if (stopped) return;
    outstanding.delete(id);
    collected++;
    writing = call(() => o.onOutcome(cell, outcome));
    try {
      await writing;
    } finally {
      writing = null;
    }
    try {
      await job.remove();
    } catch (e) {
      notice(`cell ${id} is recorded, but its job stays in Redis (${message(e)})`);
    }
  };

  const poll = async () => {
    for (const queue of queues.values()) {
      const [completed, failed, active] = await Promise.all([
        queue.getRanges(['completed'], 0, -1),
        queue.getRanges(['failed'], 0, -1),
        queue.getRanges(['active'], 0, -1),
      ]);
      for (const id of active) {
        const cell = outstanding.get(id);
        if (cell && !stopped) await markStarted(cell);
      }
      for (const id of [...completed, ...failed]) {
        if (stopped) return;
        if (outstanding.has(id)) await collect(queue, id);
      }
    }
  };

  // Says once in a while which queues have cells but no worker, if nothing comes back.
  let lastProgress = Date.now();
  let lastWorkerCheck = 0;
  const checkWorkers = async () => {
    const waiting = new Set([...outstanding.values()].map((c) => c.backend));
    for (const backend of waiting) {
      const queue = queues.get(backend);
      if (!queue) continue;
      let count: number;
      try {
        count = await queue.getWorkersCount();
      } catch {
        return; // CLIENT LIST may be refused (managed Redis): nothing to say then
      }
      if (count === 0) {
        notice(
          `no worker serves the ${backend} cells: start one with \`gradlab worker --queue ${target.display}\``,
        );
      }
    }
  };

  /** Finished jobs of cells already recorded: a sweep killed between record and removal. */
  const removeLeftovers = async () => {
    if (recorded.size === 0) return;
    for (const queue of queues.values()) {
      for (const id of await queue.getRanges(['completed', 'failed'], 0, -1)) {
        if (!recorded.has(id)) continue;
        try {
          await (await queue.getJob(id))?.remove();
        } catch (e) {
          notice(`cell ${id} is recorded, but its job stays in Redis (${message(e)})`);
        }
      }
    }
  };

  const main = async () => {
    await removeLeftovers();
    if (outstanding.size === 0) return;
    await enqueue([...outstanding.values()]);
    await checkWorkers();
    let lastRequeue = Date.now();
    while (!stopped && outstanding.size > 0) {
      const before = outstanding.size;
      await poll();
      if (outstanding.size !== before) lastProgress = Date.now();
      if (stopped || outstanding.size === 0) break;
      const now = Date.now();
      // Re-adding is a no-op for a job Redis still has: this brings back jobs it lost.
      if (requeue || now - lastRequeue > 10_000) {
        requeue = false;
        lastRequeue = now;
        await enqueue([...outstanding.values()]);
      }
      if (now - lastProgress > 30_000 && now - lastWorkerCheck > 30_000) {
        lastWorkerCheck = now;
        await checkWorkers();
      }
      if (!stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  };

  const running = main().then(
    () => halt({ cancelled: false, error: null }),
    (e: unknown) => halt({ cancelled: false, error: e }),
  );
  await halted;
  clearInterval(watchdog);
  o.signal?.removeEventListener('abort', onAbort);
  // Whatever stopped the sweep, a record being written is finished first.
  while (writing) await (writing as Promise<void>).catch(() => {});
  const end = stopped as unknown as { cancelled: boolean; error: unknown };
  closing = true;
  if (end.error || end.cancelled) {
    // Commands waiting for a Redis that is not there fail now, and main() ends.
    connection.disconnect();
    await Promise.race([running, new Promise((r) => setTimeout(r, 1000).unref())]);
  } else {
    await Promise.all([...queues.values()].map((q) => q.close().catch(() => {})));
    await connection.quit().catch(() => connection.disconnect());
  }
  if (end.error) {
    if (end.error instanceof GradlabError || callbackFailed) throw end.error;
    throw new GradlabError(
      'QUEUE_UNAVAILABLE',
      `the queue at ${target.display} failed: ${message(end.error)}. The cells recorded so far are kept; run the same command again to pick up where it stopped.`,
    );
  }
  return { collected, cancelled: end.cancelled && outstanding.size > 0 };
}
