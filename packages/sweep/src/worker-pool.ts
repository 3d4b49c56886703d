import { availableParallelism } from 'node:os';
import { WorkerProcess } from './worker-process.js';

export interface WorkerSettings {
  readonly env: NodeJS.ProcessEnv;
  readonly execArgv: readonly string[];
}

/**
 * How worker processes are started for `lanes` parallel cells: OpenBLAS gets cores / lanes
 * threads per process unless OPENBLAS_NUM_THREADS is set, so that parallel cells do not fight
 * over the cores. V8 keeps its background threads: on small cells its optimising compiler is
 * about a third of a worker's work, and moving it onto the main thread (--single-threaded)
 * made two workers on two cores 8% slower, not faster (docs/sweeps.md, "Throughput").
 */
export function workerSettings(
  lanes: number,
  o: { readonly env?: NodeJS.ProcessEnv; readonly execArgv?: readonly string[] } = {},
): WorkerSettings {
  const cores = availableParallelism();
  const threads = String(Math.max(1, Math.floor(cores / lanes)));
  return {
    env: { OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? threads, ...o.env },
    execArgv: o.execArgv ?? [],
  };
}

export interface WorkerPoolOptions {
  /** Worker processes to start. */
  readonly size: number;
  /** Module each worker imports first: it registers the backends (a path or file: URL). */
  readonly setup: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly execArgv?: readonly string[];
}

/**
 * Worker processes started before there are cells for them: a sweep command starts its
 * workers first thing, so that their start-up (Node, tfjs, the backends) and warm-up overlap
 * the command's own checks instead of following them. `runLocal` takes its workers from the
 * pool, then starts its own.
 */
export class WorkerPool {
  readonly #waiting: {
    readonly worker: Promise<WorkerProcess>;
    readonly cancel: AbortController;
  }[];
  #closed = false;

  private constructor(o: WorkerPoolOptions) {
    const settings = workerSettings(o.size, o);
    this.#waiting = Array.from({ length: Math.max(0, o.size) }, () => {
      const cancel = new AbortController();
      const worker = WorkerProcess.start({ setup: o.setup, ...settings }, cancel.signal);
      // A worker that cannot start is reported by the lane that takes it; one never taken (the
      // sweep was refused first, or had fewer cells) has nothing to report.
      worker.catch(() => {});
      return { worker, cancel };
    });
  }

  static start(o: WorkerPoolOptions): WorkerPool {
    return new WorkerPool(o);
  }

  /**
   * Readies each worker for cells on these backends (activates them) and, with `report`, for
   * drawing reports, while it waits for its first cell. Failures are left to the cells, which
   * report them properly.
   */
  warm(backends: readonly string[], report: boolean): void {
    for (const { worker } of this.#waiting) {
      void worker.then((w) => w.warm(backends, report)).catch(() => {});
    }
  }

  /** A started (or starting) worker, or undefined once every pooled worker is taken. */
  take(): Promise<WorkerProcess> | undefined {
    return this.#closed ? undefined : this.#waiting.shift()?.worker;
  }

  /**
   * Lets go of every worker not taken, at once: one still starting is killed, a ready one
   * exits by itself. Idempotent.
   */
  close(): void {
    this.#closed = true;
    for (const { cancel } of this.#waiting.splice(0)) cancel.abort();
  }
}
