import type { RunRecord } from '@gradlab/core';
import { type ChartId, type LiveChartOptions, liveChartSpecs } from './live-specs.js';
import { VegaChart } from './vega-chart.js';

/** The fewest milliseconds between two redraws of the charts while a run goes on. */
export const REDRAW_INTERVAL_MS = 300;

/**
 * Drawing may take at most this share of the thread while a run goes on: after a redraw that
 * took t ms the next waits at least t * (1 / share - 1), so training keeps the rest.
 */
const DRAW_SHARE = 1 / 3;

interface Slot {
  readonly figure: HTMLElement;
  readonly chart: VegaChart;
  /** Kept in its place by hold(): shown, at its height, even while it has nothing to draw. */
  held: boolean;
}

/**
 * The page's charts, drawn from @gradlab/report's Vega-Lite specs. While a run goes on,
 * redraws are coalesced (the latest record wins) and spaced out so that drawing takes at most a
 * third of the thread; each chart is drawn in a task of its own, so input and the training loop
 * get the thread in between. A figure keeps its size while it is redrawn: nothing jumps.
 */
export class ChartBoard {
  readonly #slots: Map<ChartId, Slot>;
  #pending: { record: RunRecord; options: LiveChartOptions } | null = null;
  #drawing = false;
  #nextDraw = 0;
  /** Counts clear() calls: a redraw that started before one is abandoned. */
  #generation = 0;
  #settled: (() => void)[] = [];

  constructor(figures: Iterable<[ChartId, HTMLElement]>) {
    this.#slots = new Map(
      [...figures].map(([id, figure]) => [
        id,
        {
          figure,
          chart: new VegaChart(
            figure.querySelector('.chart') as HTMLElement,
            id === 'heatmap' ? 'canvas' : 'svg',
          ),
          held: false,
        },
      ]),
    );
  }

  /** Asks for a redraw with this record; `now` skips the wait (a run that ended, an import). */
  update(record: RunRecord, options: LiveChartOptions, now = false): void {
    this.#pending = { record, options };
    if (now) this.#nextDraw = 0;
    void this.#pump();
  }

  clear(): void {
    this.#pending = null;
    this.#generation += 1;
    for (const slot of this.#slots.values()) this.#empty(slot);
  }

  /**
   * Keeps every figure now shown in its place, at its height, until the returned release is
   * called: a new run empties them and draws them again without moving anything below.
   */
  hold(): () => void {
    const held = [...this.#slots.values()].filter((slot) => !slot.figure.hidden);
    for (const slot of held) {
      slot.held = true;
      slot.figure.style.minHeight = `${slot.figure.getBoundingClientRect().height}px`;
    }
    return () => {
      for (const slot of held) {
        slot.held = false;
        slot.figure.style.minHeight = '';
        if (slot.figure.dataset.state === 'empty') this.#empty(slot);
      }
    };
  }

  /** Resolves once every redraw asked for so far is on the page. */
  settled(): Promise<void> {
    if (!this.#drawing && !this.#pending) return Promise.resolve();
    return new Promise((resolve) => this.#settled.push(resolve));
  }

  #empty(slot: Slot): void {
    slot.chart.clear();
    slot.figure.hidden = slot.figure.dataset.optional === 'true' && !slot.held;
    slot.figure.dataset.state = 'empty';
  }

  async #pump(): Promise<void> {
    if (this.#drawing) return;
    this.#drawing = true;
    // Scripts and tests wait for "idle" before they look at the charts.
    document.body.dataset.charts = 'drawing';
    try {
      while (this.#pending) {
        const wait = this.#nextDraw - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const job = this.#pending;
        this.#pending = null;
        if (!job) break;
        const generation = this.#generation;
        let busy = 0;
        const specs = liveChartSpecs(job.record, job.options);
        for (const [id, slot] of this.#slots) {
          // A task of its own: the thread goes back to the page between two charts.
          await new Promise((r) => setTimeout(r, 0));
          // Cleared meanwhile (Reset, a new run): this record must not come back.
          if (generation !== this.#generation) break;
          const start = performance.now();
          const spec = specs[id];
          if (spec) {
            slot.figure.hidden = false;
            await slot.chart.show(spec);
            if (generation !== this.#generation) break;
            slot.figure.dataset.state = 'drawn';
          } else {
            this.#empty(slot);
          }
          const ms = performance.now() - start;
          busy += ms;
          slot.figure.dataset.drawMs = ms.toFixed(0);
        }
        this.#nextDraw =
          performance.now() + Math.max(REDRAW_INTERVAL_MS, busy * (1 / DRAW_SHARE - 1));
      }
    } finally {
      this.#drawing = false;
      document.body.dataset.charts = 'idle';
      for (const resolve of this.#settled.splice(0)) resolve();
    }
  }
}
