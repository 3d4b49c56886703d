import type { RunRecord } from '@gradlab/core';
import { normText, pct, sci } from '@gradlab/report/charts';
import { h } from './dom.js';

type MetricsRow = RunRecord['metrics'][number];

const COLUMNS = [
  'layer',
  'grad norm',
  'ratio to last',
  'grad/weight',
  'update/weight',
  'act std',
  'saturated',
  'dead',
  'verdict',
] as const;

/** Every column between the layer's name and its verdict holds a number. */
const isNumberColumn = (i: number): boolean => i > 0 && i < COLUMNS.length - 1;

/**
 * The per-layer table, input side first: the gradient columns of the latest step, and the
 * activation statistics of the latest full-diagnostic step (they are measured only there).
 * Each row carries the exact numbers in data attributes (data-grad-norm, data-ratio,
 * data-verdict) for scripts and tests; the cells show them rounded. The rows are made once per
 * run, so the table keeps its size while it trains.
 */
export class LayerTable {
  readonly #table: HTMLTableElement;
  readonly #body: HTMLTableSectionElement;
  readonly #caption: HTMLElement;

  constructor(table: HTMLTableElement) {
    this.#table = table;
    this.#caption = table.createCaption();
    table.createTHead().append(
      h(
        'tr',
        {},
        // Headers of number columns line up with their right-aligned numbers.
        COLUMNS.map((c, i) =>
          h('th', { scope: 'col', class: isNumberColumn(i) ? 'num' : undefined }, [c]),
        ),
      ),
    );
    this.#body = table.createTBody();
    this.clear();
  }

  clear(): void {
    this.#body.replaceChildren();
    this.#caption.textContent = 'Per-layer gradients: no run yet';
    delete this.#table.dataset.step;
  }

  #rows(names: readonly string[]): HTMLTableRowElement[] {
    const rows = [...this.#body.rows];
    if (rows.map((r) => r.dataset.layer).join('|') === names.join('|')) return rows;
    const fresh = names.map((name) =>
      h(
        'tr',
        { 'data-layer': name },
        COLUMNS.map((_, i) =>
          i === 0
            ? h('th', { scope: 'row' }, [name])
            : h('td', { class: isNumberColumn(i) ? 'num' : 'verdict' }),
        ),
      ),
    );
    this.#body.replaceChildren(...fresh);
    return fresh;
  }

  show(step: MetricsRow, full: MetricsRow | null): void {
    const rows = this.#rows(step.layers.map((l) => l.name));
    const stats = new Map((full?.layers ?? []).map((l) => [l.name, l]));
    step.layers.forEach((l, i) => {
      const row = rows[i] as HTMLTableRowElement;
      const s = stats.get(l.name);
      row.dataset.gradNorm = String(l.gradNorm);
      row.dataset.ratio = String(l.ratioToLast);
      row.dataset.verdict = l.verdict;
      const cells = [
        normText(l.gradNorm),
        sci(l.ratioToLast),
        sci(s?.gradToWeight),
        sci(s?.updateToWeight),
        sci(s?.activationStd),
        pct(s?.saturation ?? null),
        pct(s?.deadFraction ?? null),
        l.verdict,
      ];
      cells.forEach((text, c) => {
        const cell = row.cells[c + 1] as HTMLTableCellElement;
        if (cell.textContent !== text) cell.textContent = text;
      });
      (row.cells[8] as HTMLTableCellElement).className = `verdict verdict-${l.verdict}`;
    });
    this.#table.dataset.step = String(step.step);
    this.#caption.textContent = `Per-layer gradients at step ${step.step} (input side first)${
      full ? `; activation statistics at step ${full.step}` : ''
    }`;
  }
}
