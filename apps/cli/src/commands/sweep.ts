import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { GradlabError } from '@gradlab/core';
import { listPresets } from '@gradlab/experiments';
import {
  type Cell,
  checkBackends,
  defaultWorkers,
  estimateSweepSeconds,
  expandSweep,
  formatDuration,
  lockSweepDir,
  openSweepStore,
  runLocal,
  type SweepEvent,
  WorkerPool,
  workerSettings,
} from '@gradlab/sweep';
import { EXIT } from '../errors.js';
import { loadSweep } from '../load-sweep.js';
import { colorEnabled } from '../render/style.js';
import { varyingAxes } from '../render/sweep-labels.js';
import { sweepProgress } from '../render/sweep-progress.js';
import { sweepSummaryText } from '../render/sweep-summary.js';
import { fitLine, outputWidth } from '../render/width.js';
import { onStopSignals } from '../stop-signals.js';
import { CELL_LIMIT } from '../sweep-limits.js';

export interface SweepCommandOptions {
  readonly workers?: number;
  readonly out?: string;
  readonly retryFailed?: boolean;
  readonly yes?: boolean;
  /** JSON Lines on stdout: the plan, one line per finished cell, the summary. */
  readonly json?: boolean;
  /** No progress: only the summary. */
  readonly quiet?: boolean;
  /** Run the cells on `gradlab worker`s through this Redis (redis://HOST:PORT). */
  readonly queue?: string;
  /** The named sweep's fast variant (`gradlab sweep phase-tanh --fast`). */
  readonly fast?: boolean;
}

/** The worker processes import this to register the same backends as this process. */
const WORKER_SETUP = new URL('../sweep-worker-setup.js', import.meta.url).href;

/**
 * `gradlab sweep <file|name>`: expands the sweep and validates every cell, checks its
 * backends, prints the cell count and an estimate, and only then opens the directory
 * (runs/sweep-<name> by default, so running the same command again resumes it) and runs
 * what is left in worker processes. Exit code 0 when every cell is done, 1 when one failed
 * (recorded; --retry-failed runs it again), 2 bad input (nothing written), 130 Ctrl-C (cells
 * in flight go back to pending).
 */
export async function sweepCommand(target: string, o: SweepCommandOptions): Promise<number> {
  // BullMQ and ioredis load only for a sweep on a queue.
  const queueing = o.queue ? await import('@gradlab/sweep/queue') : null;
  const queue = queueing && o.queue ? queueing.parseRedisUrl(o.queue) : null;
  // Local workers start now: their start-up overlaps the checks below instead of following them.
  const workers = o.workers ?? defaultWorkers();
  const pool = queueing
    ? null
    : WorkerPool.start({ size: workers, setup: WORKER_SETUP, ...workerSettings(workers) });
  try {
    return await runSweep(target, o, { pool, workers, queueing, queue });
  } finally {
    pool?.close();
  }
}

type Queueing = typeof import('@gradlab/sweep/queue');

/** Where the cells go: the pooled local workers, or a queue. */
interface Runners {
  readonly pool: WorkerPool | null;
  readonly workers: number;
  readonly queueing: Queueing | null;
  readonly queue: ReturnType<Queueing['parseRedisUrl']> | null;
}

async function runSweep(
  target: string,
  o: SweepCommandOptions,
  { pool, workers, queueing, queue }: Runners,
): Promise<number> {
  const { sweep, source } = await loadSweep(target, { fast: Boolean(o.fast) });
  const presets = Object.fromEntries(listPresets().map((p) => [p.name, p.spec]));
  const cells = expandSweep(sweep, { presets }, source);
  // On a queue the cells run on the workers: their backends need not be available here.
  if (queueing) queueing.checkQueueBackends(sweep, source);
  else await checkBackends(sweep, source);
  pool?.warm([...new Set(cells.map((c) => c.backend))], true);
  const cores = availableParallelism();
  const json = Boolean(o.json);
  const chatty = !json && !o.quiet;
  const say = (s: string) =>
    chatty && process.stderr.write(`${fitLine(s, outputWidth(process.stderr), '  ')}\n`);
  const emit = (line: object) => json && process.stdout.write(`${JSON.stringify(line)}\n`);

  const estimate = (n: readonly Cell[]) => estimateSweepSeconds(n, workers, cores);
  say(
    queue
      ? `${sweep.name}: ${cells.length} cells, for the workers of ${queue.display}`
      : `${sweep.name}: ${cells.length} cells, about ${formatDuration(estimate(cells))} with ${workers} worker${workers === 1 ? '' : 's'} (rough)`,
  );
  if (cells.length > CELL_LIMIT && !o.yes) {
    throw new GradlabError(
      'INVALID_SWEEP',
      `${source} makes ${cells.length} cells, more than ${CELL_LIMIT} (about ${formatDuration(estimate(cells))} with ${workers} workers): pass --yes to run them all, or sweep fewer values.`,
    );
  }

  // One sweep at a time in a directory: a second would write over the first's claims.
  const out = o.out ?? join('runs', `sweep-${sweep.name}`);
  const lock = await lockSweepDir(out);
  try {
    const store = await openSweepStore(out, sweep, cells, {
      retryFailed: Boolean(o.retryFailed),
    });
    const axes = varyingAxes(cells);
    emit({
      type: 'plan',
      sweep: sweep.name,
      out: store.dir,
      cells: cells.length,
      toRun: store.pending.length,
      kept: store.kept,
      workers,
      ...(queue ? { queue: queue.display } : {}),
      estimateSeconds: Number(estimate(store.pending).toFixed(1)),
    });
    if (store.kept > 0) {
      say(
        `${store.kept} cells kept from before in ${store.dir}; ${store.pending.length} to run${store.pending.length > 0 ? `, about ${formatDuration(estimate(store.pending))}` : ''}`,
      );
    }

    const color = colorEnabled(process.stderr);
    const progress =
      chatty && store.pending.length > 0
        ? sweepProgress(process.stderr, store.pending.length, axes, color)
        : null;
    const abort = new AbortController();
    const stop = onStopSignals(() => abort.abort());
    const onEvent = (e: SweepEvent) => {
      progress?.onEvent(e);
      if (e.type === 'finish') emit({ type: 'cell', ...e.entry, warning: e.warning });
    };
    const t0 = performance.now();
    let result: Awaited<ReturnType<typeof runLocal>>;
    try {
      result = queueing
        ? await queueing.runQueue(store, {
            url: o.queue as string,
            retryFailed: Boolean(o.retryFailed),
            signal: abort.signal,
            onEvent,
            onNotice: (n) => {
              say(n);
              emit({ type: 'notice', message: n });
            },
          })
        : await runLocal(store, {
            workers,
            setup: WORKER_SETUP,
            signal: abort.signal,
            onEvent,
            ...(pool ? { pool } : {}),
          });
    } finally {
      progress?.stop();
      stop.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;

    const entries = store.entries();
    const failed = entries.filter((e) => e.status === 'failed').length;
    const done = entries.filter((e) => e.status === 'done').length;
    if (json) {
      emit({
        type: 'summary',
        sweep: sweep.name,
        out: store.dir,
        cells: entries.length,
        ran: result.ran,
        kept: store.kept,
        done,
        failed,
        pending: entries.length - done - failed,
        cancelled: result.cancelled,
        seconds: Number(seconds.toFixed(2)),
      });
    } else {
      const summary = {
        name: sweep.name,
        out: store.dir,
        entries,
        axes,
        ran: result.ran,
        kept: store.kept,
        seconds,
        cancelled: result.cancelled,
      };
      process.stdout.write(sweepSummaryText(summary, colorEnabled(process.stdout), !o.quiet));
    }
    if (result.cancelled) return stop.exitCode;
    return failed > 0 ? EXIT.failure : EXIT.ok;
  } finally {
    await lock.release();
  }
}
