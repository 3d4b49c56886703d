import type { RunRecord } from '@gradlab/core';
import { DIVERGENCE_TOLERANCE, describeDivergence } from '@gradlab/core';
import { backendDiffSpec, comparisonFlowSpec, sci } from '@gradlab/report/charts';
import { VegaChart } from '../charts/vega-chart.js';
import { backendDifferences } from '../run/backend-diff.js';
import { h } from './dom.js';

export interface BackendRun {
  readonly backend: string;
  readonly record: RunRecord;
}

/**
 * The same experiment on two backends, side by side, in two figures that measure different
 * things: the step-1 gradient agreement (same weights, same batch: the backends' arithmetic) and
 * the drift of the training trajectories after N steps, with the first step beyond 1e-3. Per
 * layer the step-1 gradient norm on each and both relative differences (relative to the first
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
    const { agreement, layers: diffs } = backendDifferences(reference.record, other.record);
    const { step1, drift } = agreement;
    this.#summary.replaceChildren(
      h('p', {}, [
        `${other.backend} against ${reference.backend}: the same spec, seed, initial weights and batches.`,
      ]),
      h('dl', { class: 'compare-figures' }, [
        h('dt', {}, ['step-1 gradient agreement']),
        h('dd', { 'data-figure': 'step1', 'data-value': String(step1?.maxRelDiff ?? '') }, [
          step1
            ? `max relative difference ${sci(step1.maxRelDiff)}${step1.worstLayer ? ` (${step1.worstLayer})` : ''}: same weights, same batch, so the backends' arithmetic alone`
            : 'no step 1 to compare',
        ]),
        h('dt', {}, [`drift after ${drift.steps} steps`]),
        h(
          'dd',
          {
            'data-figure': 'drift',
            'data-value': String(drift.gradNormMaxRelDiff),
            'data-diverged-at':
              drift.firstDivergence === 'never' ? 'never' : String(drift.firstDivergence.step),
          },
          [
            `max relative difference: loss ${sci(drift.lossMaxRelDiff)}, gradient norms ${sci(drift.gradNormMaxRelDiff)}; ${describeDivergence(drift)}. Training amplifies the step-1 differences: this measures the dynamics as much as the backends.`,
          ],
        ),
      ]),
    );
    this.#table.replaceChildren(
      h('caption', {}, [
        `Per-layer gradient norms at step 1, the relative difference there, and the largest over ${drift.steps} steps`,
      ]),
      h('thead', {}, [
        h(
          'tr',
          {},
          // Headers of number columns line up with their right-aligned numbers.
          [
            'layer',
            `${reference.backend}, step 1`,
            `${other.backend}, step 1`,
            'step-1 rel. diff',
            `max rel. diff, ${drift.steps} steps`,
          ].map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : undefined }, [c])),
        ),
      ]),
      h(
        'tbody',
        {},
        diffs.map((d) =>
          h(
            'tr',
            {
              'data-layer': d.layer,
              'data-step1-rel-diff': String(d.step1RelDiff),
              'data-max-rel-diff': String(d.maxRelDiff),
            },
            [
              h('th', { scope: 'row' }, [d.layer]),
              h('td', { class: 'num' }, [sci(d.reference)]),
              h('td', { class: 'num' }, [sci(d.other)]),
              h('td', { class: 'num' }, [sci(d.step1RelDiff)]),
              h('td', { class: 'num' }, [sci(d.maxRelDiff)]),
            ],
          ),
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
        diffs.map((d) => ({
          layer: d.layer,
          step1RelDiff: { [other.backend]: d.step1RelDiff },
          maxRelDiff: { [other.backend]: d.maxRelDiff },
        })),
        [other.backend],
        { steps: drift.steps, tolerance: DIVERGENCE_TOLERANCE },
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
