import type { RunRecord } from '@gradlab/core';
import { evidenceSummary, type Verdict } from '@gradlab/core';
import { verdictSummary } from '@gradlab/report/charts';
import { h } from './dom.js';

type MetricsRow = RunRecord['metrics'][number];

/**
 * The verdict, in words, in a polite live region: announced when it changes while the run goes
 * on (not at every step), and once more, in full, when the run ends.
 */
export class VerdictView {
  readonly #root: HTMLElement;
  readonly #headline: HTMLElement;
  readonly #problems: HTMLElement;
  #shown = '';

  constructor(root: HTMLElement) {
    this.#root = root;
    this.#headline = root.querySelector('.headline') as HTMLElement;
    this.#problems = root.querySelector('.problems') as HTMLElement;
    this.clear();
  }

  #set(verdict: Verdict | 'none', headline: string, problems: readonly string[]): void {
    const key = `${verdict}|${headline}|${problems.join('|')}`;
    if (key === this.#shown) return;
    this.#shown = key;
    this.#root.dataset.verdict = verdict;
    this.#headline.textContent = headline;
    this.#headline.title = headline;
    this.#problems.replaceChildren(...problems.map((p) => h('li', {}, [p])));
  }

  clear(): void {
    this.#set('none', 'Verdict: press Run to train the network and watch its gradients.', []);
    delete this.#root.dataset.final;
  }

  /** While training: the verdict of the latest step, and the evidence that produced it. */
  live(step: MetricsRow): void {
    const which =
      evidenceSummary(step.verdict, step.evidence ?? []) ?? 'every measure within its thresholds';
    this.#set(step.verdict, `Verdict so far: ${step.verdict} (${which})`, []);
  }

  /** The run's verdict, as report.html words it. */
  final(record: RunRecord): void {
    const summary = verdictSummary(record);
    this.#set(record.manifest.result.verdict, summary.headline, summary.problems);
    this.#root.dataset.final = 'true';
  }
}
