import { randomUUID } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Cell } from '../expand.js';
import { summarizeBundle } from '../summary.js';
import { WorkerProcess } from '../worker-process.js';
import { parseRedisUrl, redisOptions } from './connection.js';
import {
  type CellJobData,
  type CellJobResult,
  cellQueueName,
  JOB_VERSION,
  QUEUE_PREFIX,
} from './jobs.js';

export interface StartWorkerOptions {
  /** The queue's Redis: redis://HOST:PORT. */
  readonly url: string;
  /**
   * Module each cell process imports before its first cell, as a path or file: URL: importing
   * it registers the backends (the CLI passes its own).
   */
  readonly setup: string;
  /** The backends whose cells this worker takes (one queue each); "auto" is a backend here. */
  readonly backends: readonly string[];
  /** Cells at a time, each in its own process (default: one per core). */
  readonly concurrency?: number;
  /**
   * How long a cell stays locked to this worker without a sign of life (ms, default 30 s). A
   * worker renews its locks every half of this; one that dies (kill -9, a lost machine) loses
   * them after this long, and the next stalled check of any live worker hands its cells to
   * another worker.
   */
  readonly lockMs?: number;
  /** How often this worker looks for cells whose worker died (ms, default lockMs / 2). */
  readonly stalledCheckMs?: number;
  /**
   * How many times a cell may lose its worker before it is failed ("stalled more than
   * allowable limit"): a cell that kills every machine it runs on stops somewhere (default 3).
   */
  readonly maxStalledCount?: number;
  /** How often an idle worker asks its queues for a cell (ms, default 1000). */
  readonly pollMs?: number;
  /** The worker's name in the queue and in records (default "HOST:PID"). */
  readonly name?: string;
  /** Extra environment of the cell processes. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Node flags of the cell processes (e.g. --max-old-space-size=4096; default
   * --single-threaded where the lanes fill the cores, as for a local sweep).
   */
  readonly execArgv?: readonly string[];
  readonly onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  /** A cell was taken. `attempt` counts its starts, by any worker (1 the first time). */
  | { readonly type: 'start'; readonly cell: Cell; readonly attempt: number }
  /** The cell ran; its record goes back to the sweep. */
  | {
      readonly type: 'finish';
      readonly cell: Cell;
      readonly status: string;
      readonly verdict: string;
      readonly seconds: number;
    }
  /** The cell could not run (its backend would not start, its process died): no record. */
  | { readonly type: 'error'; readonly cell: Cell; readonly message: string }
  /** The cell went back to its queue unfinished (the worker was stopped). */
  | { readonly type: 'released'; readonly cell: Cell }
  /** Redis went away (the worker waits for it), or came back. */
  | { readonly type: 'disconnected'; readonly message: string }
  | { readonly type: 'connected' }
  /** Something worth saying that is not about one cell (a lost lock, a Redis error). */
  | { readonly type: 'warning'; readonly message: string };

/** How a stop treats the cells in flight. */
export type StopMode =
  /** Take no new cell; the cells in flight finish and are sent back. */
  | 'finish'
  /** Take no new cell; the cells in flight are stopped and go back to their queues now. */
  | 'release';

export interface RunningWorker {
  readonly name: string;
  /** The queues it serves. */
  readonly queues: readonly string[];
  /** Stops the worker (again with 'release' to hand back the cells a 'finish' waits for). */
  stop(mode: StopMode): void;
  /** Resolves once the worker has stopped and closed its connections. */
  readonly closed: Promise<void>;
}

/** BullMQ's worker, with lock renewal started by hand: the lanes below fetch the jobs. */
class CellWorker extends Worker<CellJobData, CellJobResult> {
  startLockRenewal(): void {
    this.lockManager.start();
  }
}

interface Lane {
  proc: WorkerProcess | null;
  job: Job<CellJobData, CellJobResult> | null;
  released: boolean;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Starts a sweep worker: `concurrency` lanes, each with a cell process of its own (a cell that
 * crashes or runs out of memory takes only its process down, and the lane starts another),
 * taking cells from the queues of `backends` in turn. A cell's whole record (and report.html)
 * goes back through Redis as the job's result; the worker writes nothing. It waits through
 * Redis restarts. If it dies (kill -9), its locks lapse after `lockMs` and another worker
 * takes its cells over; a cell that finishes on a worker that lost its lock in the meantime is
 * dropped (BullMQ refuses the result), so each cell is completed once.
 */
export async function startWorker(o: StartWorkerOptions): Promise<RunningWorker> {
  const target = parseRedisUrl(o.url);
  if (o.backends.length === 0) throw new Error('startWorker: no backends to serve');
  const name = o.name ?? `${hostname()}:${process.pid}`;
  const lanesWanted = Math.max(1, o.concurrency ?? availableParallelism());
  const lockMs = o.lockMs ?? 30_000;
  const pollMs = o.pollMs ?? 1000;
  const say = (e: WorkerEvent) => o.onEvent?.(e);
  // As runLocal does: lanes that fill the cores run V8 single-threaded and share OpenBLAS.
  const cores = availableParallelism();
  const threads = String(Math.max(1, Math.floor(cores / lanesWanted)));
  const env = { OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? threads, ...o.env };
  const execArgv = o.execArgv ?? (lanesWanted >= cores ? ['--single-threaded'] : []);

  const connection = new Redis({ ...redisOptions(target), connectionName: `gradlab:${name}` });
  let up = false;
  let closing = false;
  let lastError = '';
  connection.on('error', (e: Error) => {
    lastError = e.message;
  });
  connection.on('ready', () => {
    up = true;
    say({ type: 'connected' });
  });
  connection.on('close', () => {
    if (releasing) abandon();
    if (!up || closing) return;
    up = false;
    say({
      type: 'disconnected',
      message: `lost ${target.display}${lastError ? ` (${lastError})` : ''}; waiting for it to come back`,
    });
  });

  // A Redis that is not there at the start is waited for, as one that goes away later is.
  const firstContact = setTimeout(() => {
    if (!up && !closing) {
      say({
        type: 'disconnected',
        message: `cannot reach ${target.display}${lastError ? ` (${lastError})` : ''}; waiting for it`,
      });
    }
  }, 3000);
  firstContact.unref();

  const byToken = new Map<string, Lane>();
  const processor = async (
    job: Job<CellJobData, CellJobResult>,
    token?: string,
  ): Promise<CellJobResult> => {
    const lane = token ? byToken.get(token) : undefined;
    if (!lane?.proc) throw new Error(`internal: no lane holds job ${job.id}`);
    if (job.data?.v !== JOB_VERSION || !job.data.cell) {
      throw new UnrecoverableError(
        `job ${job.id} is not a gradlab ${JOB_VERSION} cell (its data has version ${JSON.stringify(job.data?.v)}): the sweep and this worker run different gradlab versions`,
      );
    }
    const { cell, report } = job.data;
    say({ type: 'start', cell, attempt: job.attemptsStarted });
    const reply = await lane.proc.run(cell, report);
    if (lane.released) {
      await job.moveToWait(token);
      say({ type: 'released', cell });
      throw new WaitingError();
    }
    if (reply.type === 'result') {
      const summary = summarizeBundle(reply.bundle);
      say({
        type: 'finish',
        cell,
        status: summary.status,
        verdict: summary.verdict,
        seconds: summary.seconds,
      });
      return {
        v: JOB_VERSION,
        bundle: reply.bundle,
        summary,
        report: reply.report,
        reportError: reply.reportError,
        worker: name,
      };
    }
    const why = `on worker ${name}: ${reply.message}`;
    say({ type: 'error', cell, message: why });
    throw new Error(why);
  };

  const queues = [...new Set(o.backends)].map(cellQueueName);
  const workers = queues.map(
    (queue) =>
      new CellWorker(queue, processor, {
        connection,
        prefix: QUEUE_PREFIX,
        name,
        autorun: false,
        lockDuration: lockMs,
        stalledInterval: o.stalledCheckMs ?? Math.max(500, Math.floor(lockMs / 2)),
        maxStalledCount: o.maxStalledCount ?? 3,
        runRetryDelay: 1000,
      }),
  );
  for (const w of workers) {
    w.on('error', (e: Error) => {
      // Connection errors are the 'disconnected' event; the rest is worth a line.
      if (/ECONNREFUSED|ECONNRESET|Connection is closed|EPIPE|ETIMEDOUT/.test(e.message)) return;
      say({ type: 'warning', message: `${w.name}: ${e.message}` });
    });
  }

  let stopping = false;
  let releasing = false;
  // Handing cells back needs Redis; without it they are left to lapse (as on kill -9).
  let abandon: () => void = () => {};
  const abandoned = new Promise<void>((resolve) => {
    abandon = resolve;
  });
  let onStop: () => void = () => {};
  const stopped = new Promise<null>((resolve) => {
    onStop = () => resolve(null);
  });
  const wakers = new Set<() => void>();
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  // Each lane asks the queues in turn, starting one further each time, so none starves.
  let turn = 0;
  const take = async (token: string) => {
    const first = turn++;
    for (let k = 0; k < workers.length && !stopping; k++) {
      const worker = workers[(first + k) % workers.length] as CellWorker;
      const job = await worker.getNextJob(token, { block: false });
      if (job) return { worker, job };
    }
    return null;
  };

  const lanes: Lane[] = [];
  const runLane = async (lane: Lane): Promise<void> => {
    try {
      while (!stopping) {
        if (!lane.proc?.alive) {
          lane.proc = await WorkerProcess.start({ setup: o.setup, env, execArgv });
          continue;
        }
        const token = randomUUID();
        let taken: Awaited<ReturnType<typeof take>>;
        try {
          // A Redis that is away holds the request; a stop does not wait for it.
          taken = await Promise.race([take(token), stopped]);
        } catch (e) {
          say({ type: 'warning', message: `could not take a cell: ${message(e)}` });
          await nap(pollMs);
          continue;
        }
        if (!taken) {
          await nap(pollMs);
          continue;
        }
        if (stopping) {
          // Taken as the worker was told to stop: straight back to its queue.
          await taken.job.moveToWait(token).catch(() => {});
          if (taken.job.data?.cell) say({ type: 'released', cell: taken.job.data.cell });
          break;
        }
        lane.job = taken.job;
        byToken.set(token, lane);
        try {
          // Never throws: a failed cell, or a result Redis refuses, is handled and reported.
          await taken.worker.processJob(taken.job, token, () => false);
        } finally {
          byToken.delete(token);
          lane.job = null;
        }
      }
    } finally {
      lane.proc?.close();
    }
  };

  for (const w of workers) {
    await w.startStalledCheckTimer();
    w.startLockRenewal();
  }
  const failure: { error: unknown } = { error: null };
  const running = Array.from({ length: lanesWanted }, () => {
    const lane: Lane = { proc: null, job: null, released: false };
    lanes.push(lane);
    // A lane whose cell process cannot start at all (its setup fails) stops the worker.
    return runLane(lane).catch((e: unknown) => {
      failure.error ??= e;
      stop('release');
    });
  });

  function stop(mode: StopMode): void {
    stopping = true;
    onStop();
    for (const wake of [...wakers]) wake();
    if (mode !== 'release') return;
    releasing = true;
    if (!up) abandon();
    for (const lane of lanes) {
      if (lane.job && !lane.released) {
        lane.released = true;
        lane.proc?.stop();
      }
    }
  }

  const closed = (async () => {
    await Promise.race([Promise.all(running), abandoned]);
    // Closing talks to Redis; without it, the connections are simply dropped.
    await Promise.race([
      Promise.all(workers.map((w) => w.close(!up).catch(() => {}))),
      new Promise((r) => setTimeout(r, up ? 10_000 : 1000).unref()),
    ]);
    closing = true;
    clearTimeout(firstContact);
    connection.disconnect();
    if (failure.error) throw failure.error;
  })();
  return { name, queues, stop, closed };
}
