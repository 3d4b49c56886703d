import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Cell } from './expand.js';
import type { FromWorker, ToWorker } from './protocol.js';

/** What came back for a cell: the worker's answer, or the worker's death. */
export type WorkerReply =
  | Exclude<FromWorker, { type: 'ready' }>
  | { readonly type: 'crash'; readonly message: string };

export interface WorkerProcessOptions {
  /** Module each worker imports first: it registers the backends (a path or file: URL). */
  readonly setup: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly execArgv?: readonly string[];
}

/** The compiled entry point beside this module (dist/cell-runner.js). */
const RUNNER = fileURLToPath(new URL('./cell-runner.js', import.meta.url));

/** The last lines a dying worker printed: V8's "heap out of memory", a native crash... */
function lastLines(text: string, n = 6): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') return 'was killed by SIGKILL (out of memory, or killed)';
  if (signal) return `was killed by ${signal}`;
  return `exited with code ${code}`;
}

/**
 * One worker: a child process (so that a cell that crashes or runs out of memory takes only
 * its own process down) running cells one at a time. Its stdout and stderr are kept, not
 * shown: the last lines explain a crash, and the sweep's progress display stays whole.
 */
export class WorkerProcess {
  readonly #child: ChildProcess;
  #output = '';
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  #waiting: ((reply: WorkerReply) => void) | null = null;
  #ready = false;

  private constructor(child: ChildProcess) {
    this.#child = child;
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (m: FromWorker) => {
      if (m.type === 'ready') return;
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.(m);
    });
    // Failed sends and kills show up as the exit below; an 'error' event must not throw here.
    child.on('error', () => {});
    child.on('exit', (code, signal) => {
      this.#exit = { code, signal };
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.({ type: 'crash', message: this.#death() });
    });
  }

  #death(): string {
    const exit = this.#exit ?? { code: null, signal: null };
    const said = lastLines(this.#output);
    return `its worker process ${describeExit(exit.code, exit.signal)}${said ? `; its last output: ${said}` : ''}`;
  }

  /**
   * Starts a worker and waits until its setup is done. `signal` gives up on it: a worker
   * still starting is killed at once (it has done nothing yet), a ready one is let go.
   */
  static start(o: WorkerProcessOptions, signal?: AbortSignal): Promise<WorkerProcess> {
    const child = fork(RUNNER, [o.setup], {
      serialization: 'advanced', // NaN and Infinity survive, as they would in memory
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...o.env },
      execArgv: [...(o.execArgv ?? [])],
    });
    const worker = new WorkerProcess(child);
    signal?.addEventListener('abort', () => (worker.#ready ? worker.close() : worker.stop()), {
      once: true,
    });
    return new Promise((resolve, reject) => {
      const onReady = (m: FromWorker) => {
        if (m.type !== 'ready') return;
        child.off('exit', onExit);
        worker.#ready = true;
        resolve(worker);
      };
      const onExit = () => {
        child.off('message', onReady);
        reject(new Error(`a sweep worker could not start: ${worker.#death()}`));
      };
      child.on('message', onReady);
      child.once('exit', onExit);
    });
  }

  get alive(): boolean {
    return this.#exit === null;
  }

  /** Runs one cell; never rejects: a dead worker answers "crash" with what it last said. */
  run(cell: Cell, report: boolean): Promise<WorkerReply> {
    if (!this.alive) return Promise.resolve({ type: 'crash', message: this.#death() });
    return new Promise((resolve) => {
      this.#waiting = resolve;
      const m: ToWorker = { type: 'run', cell, report };
      // A channel that just closed fails the send; the exit that closed it answers "crash".
      this.#child.send(m, () => {});
    });
  }

  /** Readies an idle worker for its first cells (see WorkerPool.warm); nothing comes back. */
  warm(backends: readonly string[], report: boolean): void {
    if (!this.alive) return;
    const m: ToWorker = { type: 'warm', backends, report };
    this.#child.send(m, () => {});
  }

  /** Ends the worker now (a cell it is running is lost: its run() answers "crash"). */
  stop(): void {
    if (this.alive) this.#child.kill('SIGKILL');
  }

  /** Lets an idle worker exit by itself (it exits when its channel closes). */
  close(): void {
    if (this.alive && this.#child.connected) this.#child.disconnect();
  }
}
