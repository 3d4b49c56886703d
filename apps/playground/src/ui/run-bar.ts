import type { RunPhase } from '../run/run-controller.js';

export interface RunBarActions {
  run(): void;
  pause(): void;
  resume(): void;
  step(): void;
  reset(): void;
}

/** The page's whole run state, as the buttons show it and the tests read it (data-phase). */
export type PagePhase = RunPhase | 'comparing';

/**
 * Run, pause/resume, step and reset, with the keys r, p, s and x; and the progress of the run.
 * Buttons that make no sense in a phase are disabled, never hidden, so nothing moves.
 */
export class RunBar {
  readonly #root: HTMLElement;
  readonly #run: HTMLButtonElement;
  readonly #pause: HTMLButtonElement;
  readonly #step: HTMLButtonElement;
  readonly #reset: HTMLButtonElement;
  readonly #progress: HTMLProgressElement;
  readonly #status: HTMLElement;
  #phase: PagePhase = 'idle';
  #runnable = true;

  constructor(
    root: HTMLElement,
    readonly actions: RunBarActions,
  ) {
    this.#root = root;
    const button = (name: string) =>
      root.querySelector(`[data-action="${name}"]`) as HTMLButtonElement;
    this.#run = button('run');
    this.#pause = button('pause');
    this.#step = button('step');
    this.#reset = button('reset');
    this.#progress = root.querySelector('progress') as HTMLProgressElement;
    this.#status = root.querySelector('.run-status') as HTMLElement;
    this.#run.addEventListener('click', () => actions.run());
    this.#pause.addEventListener('click', () => this.#togglePause());
    this.#step.addEventListener('click', () => actions.step());
    this.#reset.addEventListener('click', () => actions.reset());
    this.show('idle');
  }

  #togglePause(): void {
    if (this.#phase === 'paused') this.actions.resume();
    else this.actions.pause();
  }

  /** A shortcut key, when no control has the keyboard for typing; true if it was used. */
  key(key: string): boolean {
    const press = (b: HTMLButtonElement) => {
      if (!b.disabled) b.click();
      return true;
    };
    switch (key) {
      case 'r':
        return press(this.#run);
      case 'p':
        return press(this.#pause);
      case 's':
        return press(this.#step);
      case 'x':
        return press(this.#reset);
      default:
        return false;
    }
  }

  /** Whether the experiment as it stands can run (its mitigations apply, a backend is chosen). */
  setRunnable(runnable: boolean): void {
    this.#runnable = runnable;
    this.show(this.#phase);
  }

  show(phase: PagePhase): void {
    this.#phase = phase;
    this.#root.dataset.phase = phase;
    document.body.dataset.runPhase = phase;
    const going = phase === 'running' || phase === 'paused' || phase === 'comparing';
    this.#run.disabled = going || !this.#runnable;
    this.#pause.disabled = !(phase === 'running' || phase === 'paused');
    this.#pause.textContent = phase === 'paused' ? 'Resume' : 'Pause';
    this.#pause.setAttribute('aria-pressed', String(phase === 'paused'));
    // Step from idle starts a run paused before its first step and runs that step.
    this.#step.disabled = !(
      phase === 'paused' ||
      ((phase === 'idle' || phase === 'finished') && this.#runnable)
    );
    this.#reset.disabled = phase === 'idle';
  }

  progress(step: number, steps: number, text: string): void {
    this.#progress.max = steps;
    this.#progress.value = step;
    this.#status.textContent = text;
    // One line, cut to the window's width (so that it never moves the page); whole on hover.
    this.#status.title = text;
  }
}
