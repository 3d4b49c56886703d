import { sci } from '@gradlab/report/charts';
import type { SweepEntry } from '../sweep-file.js';
import { groupFigure, groupVerdict, type SeedGroup } from './aggregate.js';
import { type ReportAxis, SEED_AXIS, valueLabel } from './axes.js';
import { longText, spreadText } from './figure-text.js';
import { groupHref } from './heatmap-spec.js';
import { gradientRatio, measuresWithData, NUMERIC_MEASURES } from './measures.js';

type Escape = (s: unknown) => string;

/** A table cell; `sort` is what the sort script compares (a number, or '' to sort last). */
interface Cell {
  readonly html: string;
  readonly sort?: string;
  readonly numeric?: boolean;
}

const text = (esc: Escape, v: unknown): Cell => ({ html: esc(v) });

/** A figure from sweep.json; `nonFinite`: its null is a NaN or Infinity that JSON could not hold. */
function figureCell(x: number | null | undefined, nonFinite: boolean): Cell {
  const finite = typeof x === 'number' && Number.isFinite(x);
  return {
    html: finite ? sci(x) : typeof x === 'number' ? sci(x) : nonFinite ? 'NaN or Inf' : '-',
    sort: finite ? String(x) : '',
    numeric: true,
  };
}

function table(esc: Escape, head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const th = head.map((h) => `<th title="click to sort">${esc(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map(
            (c) =>
              `<td${c.numeric ? ' class="num"' : ''}${c.sort === undefined ? '' : ` data-sort="${esc(c.sort)}"`}>${c.html}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table class="layers sortable"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const link = (esc: Escape, href: string | null, label: string): string =>
  href ? `<a href="${esc(href)}">${esc(label)}</a>` : '-';

const paramCell = (esc: Escape, v: unknown): Cell =>
  typeof v === 'number'
    ? { html: esc(v), sort: String(v), numeric: true }
    : text(esc, valueLabel(v));

/** Every entry of sweep.json, one row each, seeds apart: the record of what ran and how. */
export function cellsTable(
  esc: Escape,
  entries: readonly SweepEntry[],
  axes: readonly ReportAxis[],
): string {
  const hasSeed = entries.some((e) => SEED_AXIS in e.params);
  const head = [
    ...axes.map((a) => a.name),
    ...(hasSeed ? [SEED_AXIS] : []),
    'status',
    'verdict',
    'worst verdict',
    'final loss',
    'accuracy',
    'gradient ratio',
    'signal ratio',
    'seconds',
    'report',
  ];
  const rows = entries.map((e) => {
    const done = e.status === 'done';
    const status = e.error
      ? `<span class="error" title="${esc(e.error)}">${esc(e.status)}</span>`
      : esc(e.status);
    return [
      ...axes.map((a) => paramCell(esc, e.params[a.name])),
      ...(hasSeed ? [paramCell(esc, e.params[SEED_AXIS])] : []),
      { html: status },
      {
        html: e.verdict ? `<span class="verdict-${esc(e.verdict)}">${esc(e.verdict)}</span>` : '-',
      },
      text(esc, e.worstVerdict ?? '-'),
      figureCell(e.finalLoss, done),
      figureCell(e.accuracy, false),
      figureCell(gradientRatio(e), done && (e.layers?.length ?? 0) > 0),
      figureCell(e.signalRatio, false),
      figureCell(e.seconds, false),
      { html: link(esc, groupHref([e]), e.id) },
    ];
  });
  return table(esc, head, rows);
}

/**
 * One row per group of seeds, as the heatmaps show them: the worst verdict, and each numeric
 * measure's mean with its min and max; the reports of every seed, the first being the one the
 * heatmap cell links to.
 */
export function seedsTable(
  esc: Escape,
  groups: readonly SeedGroup[],
  axes: readonly ReportAxis[],
): string {
  // The numeric measures some cell has (no accuracy column for a regression sweep).
  const measures = measuresWithData(groups.flatMap((g) => g.entries)).flatMap((m) =>
    m === 'verdict' ? [] : [NUMERIC_MEASURES[m]],
  );
  const head = [
    ...axes.map((a) => a.name),
    'seeds',
    'verdict (worst seed)',
    ...measures.map((m) => `${m.title}: mean (min to max)`),
    'reports',
  ];
  const rows = groups.map((g) => {
    const figures = measures.map((m) => {
      const f = groupFigure(g, m);
      return {
        html: esc(spreadText(f)),
        sort: f.kind === 'finite' ? String(f.mean) : '',
        numeric: true,
      };
    });
    const reports = g.entries
      .map((e) => link(esc, groupHref([e]), `seed ${valueLabel(e.params[SEED_AXIS])}`))
      .join(' ');
    return [
      ...axes.map((a) => paramCell(esc, g.params[a.name])),
      { html: String(g.entries.length), sort: String(g.entries.length), numeric: true },
      text(esc, longText(groupVerdict(g))),
      ...figures,
      { html: reports },
    ];
  });
  return table(esc, head, rows);
}

/**
 * Click a header to sort its table by that column, again to reverse: numbers (data-sort) in
 * numeric order, blanks (non-finite, no result) last, text alphabetically. Inline, so the page
 * works offline from file://.
 */
export const SORT_SCRIPT = `<script>
for (const t of document.querySelectorAll('table.sortable')) {
  t.tHead.addEventListener('click', (ev) => {
    const th = ev.target.closest('th');
    if (!th) return;
    const i = th.cellIndex;
    const dir = th.dataset.dir === 'asc' ? -1 : 1;
    for (const h of t.tHead.rows[0].cells) delete h.dataset.dir;
    th.dataset.dir = dir === 1 ? 'asc' : 'desc';
    const key = (r) => r.cells[i].dataset.sort ?? r.cells[i].textContent;
    const num = (k) => (k === '' || Number.isNaN(Number(k)) ? null : Number(k));
    const rows = [...t.tBodies[0].rows].sort((p, q) => {
      const a = key(p), b = key(q), x = num(a), y = num(b);
      if (x !== null && y !== null) return dir * (x - y);
      if (x !== null || y !== null) return x === null ? 1 : -1;
      if (a === '' || b === '') return a === b ? 0 : a === '' ? 1 : -1;
      return dir * a.localeCompare(b);
    });
    t.tBodies[0].append(...rows);
  });
}
</script>`;
