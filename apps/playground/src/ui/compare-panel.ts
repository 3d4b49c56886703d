import type { RunRecord } from '@gradlab/core/node';
import { backendDiffSpec, comparisonFlowSpec, sci } from '@gradlab/report/charts';
import { VegaChart } from '../charts/vega-chart.js';
import { layerDifferences } from '../run/backend-diff.js';
import { h } from './dom.js';

export interface BackendRun {
  readonly backend: string;
  readonly record: RunRecord;
}

/**
 * The same experiment on two backends, side by side: per layer the gradient norm at the last
 * step on each, and the largest relative difference over every step (relative to the first
 * backend); both gradient profiles overlaid, and the differences as bars.
 */
export class ComparePanel {
  readonly #root: HTMLElement;
  readonly #table: HTMLTableElement;
  readonly #summary: HTMLElement;
  readonly #charts: VegaChart[];

  constructor(root: HTMLElement) {
    this.#root = root;
    this.#table = root.querySelector('table') as HTMLTableElement;
    this.#summary = root.querySelector('.compare-summary') as HTMLElement;
    this.#charts = [...root.querySelectorAll<HTMLElement>('.chart')].map((c) => new VegaChart(c));
    this.clear();
  }

  clear(): void {
    this.#root.hidden = true;
    for (const c of this.#charts) c.clear();
    this.#table.replaceChildren();
    delete this.#root.dataset.state;
  }

  waiting(reference: string, other: string): void {
    this.#root.hidden = false;
    this.#root.dataset.state = 'running';
    this.#summary.textContent = `Running the same experiment on ${other}, to compare with ${reference}...`;
  }

  async show(reference: BackendRun, other: BackendRun): Promise<void> {
    this.#root.hidden = false;
    const diffs = layerDifferences(reference.record, other.record);
    const worst = Math.max(0, ...diffs.map((d) => d.maxRelDiff));
    this.#summary.textContent = `${other.backend} against ${reference.backend}: the largest relative difference of a layer's gradient norm over ${Math.min(reference.record.metrics.length, other.record.metrics.length)} steps is ${sci(worst)}.`;
    this.#table.replaceChildren(
      h('caption', {}, [
        'Per-layer gradient norms at the last step, and the largest relative difference over all steps',
      ]),
      h('thead', {}, [
        h(
          'tr',
          {},
          // Headers of number columns line up with their right-aligned numbers.
          ['layer', reference.backend, other.backend, 'max relative difference'].map((c, i) =>
            h('th', { scope: 'col', class: i > 0 ? 'num' : undefined }, [c]),
          ),
        ),
      ]),
      h(
        'tbody',
        {},
        diffs.map((d) =>
          h('tr', { 'data-layer': d.layer, 'data-max-rel-diff': String(d.maxRelDiff) }, [
            h('th', { scope: 'row' }, [d.layer]),
            h('td', { class: 'num' }, [sci(d.reference)]),
            h('td', { class: 'num' }, [sci(d.other)]),
            h('td', { class: 'num' }, [sci(d.maxRelDiff)]),
          ]),
        ),
      ),
    );
    this.#root.dataset.state = 'done';
    const variants = [
      { variant: reference.backend, record: reference.record },
      { variant: other.backend, record: other.record },
    ];
    const specs = [
      comparisonFlowSpec(variants, 'backend'),
      backendDiffSpec(
        diffs.map((d) => ({ layer: d.layer, maxRelDiff: { [other.backend]: d.maxRelDiff } })),
        [other.backend],
      ),
    ];
    for (const [i, spec] of specs.entries()) {
      const chart = this.#charts[i];
      if (!chart) continue;
      if (spec) await chart.show(spec);
      else chart.clear();
    }
  }
}
