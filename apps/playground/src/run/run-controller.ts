import {
  type ExperimentSpec,
  type RunListener,
  type RunResult,
  runExperiment,
} from '@gradlab/core';

export type RunPhase = 'idle' | 'running' | 'paused' | 'finished';

/**
 * Gives the event loop a turn: input, rendering and timers run before the next step. A
 * MessageChannel message is not clamped to 4 ms as nested timeouts are, so fast steps stay fast.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Runs one experiment at a time on the page's thread and lets a person pause it, step it one
 * training step at a time, resume it or reset it. The training loop awaits its listeners after
 * every step; the controller's listener, last in line, yields to the event loop there (so the
 * page never freezes) and, while paused, waits until it is told to go on. Reset aborts the run
 * between steps; runExperiment then disposes every tensor it made.
 */
export class RunController {
  #phase: RunPhase = 'idle';
  #abort: AbortController | null = null;
  /** Steps to run before pausing again (Infinity: run freely). */
  #budget = Number.POSITIVE_INFINITY;
  #release: (() => void) | null = null;
  readonly #onPhase: (phase: RunPhase) => void;

  constructor(onPhase: (phase: RunPhase) => void = () => {}) {
    this.#onPhase = onPhase;
  }

  get phase(): RunPhase {
    return this.#phase;
  }

  #set(phase: RunPhase): void {
    if (this.#phase === phase) return;
    this.#phase = phase;
    this.#onPhase(phase);
  }

  async #gate(): Promise<void> {
    while (this.#phase === 'paused' && !this.#abort?.signal.aborted) {
      await new Promise<void>((resolve) => {
        this.#release = resolve;
      });
    }
  }

  #go(): void {
    const release = this.#release;
    this.#release = null;
    release?.();
  }

  /**
   * Runs `spec` on the active backend with `listeners` (called before the controller's own).
   * With `stepsBeforePause`, the run pauses after that many steps (0: before the first) and
   * waits for step() or resume().
   */
  async run(
    spec: ExperimentSpec,
    listeners: readonly RunListener[],
    options: { stepsBeforePause?: number } = {},
  ): Promise<RunResult> {
    if (this.#phase === 'running' || this.#phase === 'paused') {
      throw new Error('a run is already going: reset it first');
    }
    const abort = new AbortController();
    this.#abort = abort;
    this.#budget = options.stepsBeforePause ?? Number.POSITIVE_INFINITY;
    this.#set(this.#budget <= 0 ? 'paused' : 'running');
    const control: RunListener = async (e) => {
      if (e.type === 'start') await this.#gate();
      if (e.type !== 'step') return;
      await yieldToEventLoop();
      this.#budget -= 1;
      if (this.#budget <= 0) this.#set('paused');
      await this.#gate();
    };
    try {
      return await runExperiment(spec, {
        signal: abort.signal,
        listeners: [...listeners, control],
      });
    } finally {
      this.#abort = null;
      this.#set('finished');
    }
  }

  pause(): void {
    if (this.#phase === 'running') this.#set('paused');
  }

  resume(): void {
    if (this.#phase !== 'paused') return;
    this.#budget = Number.POSITIVE_INFINITY;
    this.#set('running');
    this.#go();
  }

  /** Runs one more step, then pauses again. */
  step(): void {
    if (this.#phase !== 'paused') return;
    this.#budget = 1;
    this.#set('running');
    this.#go();
  }

  /** Stops the run between steps (its result is "cancelled"). */
  reset(): void {
    this.#abort?.abort();
    this.#go();
  }
}
