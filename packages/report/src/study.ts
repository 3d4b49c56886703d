import { studyFigureSpec } from './charts/study-figure.js';
import { pct, sci } from './data.js';
import { escapeHtml, page } from './html.js';
import {
  type StudyCheckInput,
  type StudyFigureInput,
  type StudyReportInput,
  type StudyRunInput,
  type StudyTableInput,
  studyResultLabel,
} from './study-input.js';
import { renderSvg } from './vega.js';

/** Styles of the study pages, added to the shared stylesheet. */
export const STUDY_CSS = `
.result{font-size:1.2rem;font-weight:700}.result-PASS{color:#2e7d32}.result-FAIL{color:#c0392b}.result-CANCELLED{color:#8a6d00}
table.checks td{vertical-align:top}.caption{color:#555;font-size:.9rem;margin:.3rem 0 0}
`;

/** A number as a table shows it: integers in full, others to four significant digits. */
export function cellText(x: string | number | null | undefined): string {
  if (x === null || x === undefined) return '-';
  if (typeof x === 'string') return x;
  return Number.isInteger(x) && Math.abs(x) < 1e9 ? String(x) : sci(x, 4);
}

function htmlTable(columns: readonly string[], rows: readonly string[][], cls = 'layers'): string {
  return `<table class="${cls}"><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n')}</tbody></table>`;
}

function checksTable(checks: readonly StudyCheckInput[]): string {
  if (checks.length === 0) return '<p>No check was reported.</p>';
  return htmlTable(
    ['result', 'check', 'claim', 'measured', 'expected'],
    checks.map((c) => {
      const word = c.pass ? 'PASS' : 'FAIL';
      return [
        `<td class="result-${word}">${word}</td>`,
        `<td><code>${escapeHtml(c.id)}</code></td>`,
        `<td>${escapeHtml(c.claim)}</td>`,
        `<td>${escapeHtml(c.measured)}</td>`,
        `<td>${escapeHtml(c.expected)}</td>`,
      ];
    }),
    'layers checks',
  );
}

/** A figure as inline SVG with its caption under it; an error note when it cannot be drawn. */
export async function studyFigureHtml(f: StudyFigureInput): Promise<string> {
  const head = `<figcaption>${escapeHtml(f.title)}</figcaption>`;
  const drawn = studyFigureSpec(f);
  const notes = [
    ...(f.caption ? [f.caption] : []),
    ...(drawn && drawn.dropped > 0
      ? [
          `${drawn.dropped} of ${f.points.length} points are not drawn: zero, negative or non-finite values have no place on a log scale, and non-finite ones on any numeric axis.`,
        ]
      : []),
  ];
  const caption = notes.map((n) => `<p class="caption">${escapeHtml(n)}</p>`).join('');
  if (!drawn) return `<figure>${head}<p>No data.</p>${caption}</figure>`;
  try {
    // The SVG is vega's own output: every text in it was escaped by vega's renderer.
    return `<figure>${head}${await renderSvg(drawn.spec)}${caption}</figure>`;
  } catch (e) {
    return `<figure>${head}<p class="error">This chart could not be drawn: ${escapeHtml(e instanceof Error ? e.message : e)}</p>${caption}</figure>`;
  }
}

function studyTable(t: StudyTableInput): string {
  return `<h3>${escapeHtml(t.title)}</h3>${htmlTable(
    t.columns,
    t.rows.map((row) =>
      row.map((x) =>
        typeof x === 'number'
          ? `<td class="num">${escapeHtml(cellText(x))}</td>`
          : `<td>${escapeHtml(cellText(x))}</td>`,
      ),
    ),
  )}`;
}

/**
 * A link to a run's report, relative to the study's page. The "./" prefix keeps any record path
 * a relative reference (a record named "javascript:..." stays a file name).
 */
function runLink(record: string | undefined): string {
  if (!record) return '-';
  const href = `./${record.split('/').map(encodeURIComponent).join('/')}/report.html`;
  return `<a href="${escapeHtml(href)}">report</a>`;
}

function runsTable(runs: readonly StudyRunInput[]): string {
  return htmlTable(
    ['run', 'status', 'steps', 'final loss', 'evaluation', 'verdict', 'record'],
    runs.map((r) => {
      const evaluation = r.evaluation
        ? `loss ${sci(r.evaluation.loss)}${r.evaluation.accuracy === null ? '' : `, accuracy ${pct(r.evaluation.accuracy)}`}`
        : '-';
      return [
        `<td>${escapeHtml(r.label)}</td>`,
        `<td>${escapeHtml(r.status)}${r.error ? `: ${escapeHtml(r.error)}` : ''}</td>`,
        `<td class="num">${escapeHtml(r.steps)}</td>`,
        `<td class="num">${escapeHtml(sci(r.finalLoss, 4))}</td>`,
        `<td>${escapeHtml(evaluation)}</td>`,
        `<td class="verdict-${escapeHtml(r.verdict)}">${escapeHtml(r.verdict)}</td>`,
        `<td>${runLink(r.record)}</td>`,
      ];
    }),
  );
}

/** Settings as "key: JSON value" lines. */
function settingsText(settings: unknown): string {
  if (typeof settings !== 'object' || settings === null) return JSON.stringify(settings) ?? '-';
  return Object.entries(settings)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('; ');
}

/**
 * A self-contained page for one verified study (report.html beside its verify.json): the result,
 * the claim and its reference, the scale note, every check with what was measured and what was
 * expected, each figure as an inline SVG chart, each table, and links to the report of each
 * training run. No scripts, nothing fetched; every string is escaped.
 */
export async function renderStudyReport(v: StudyReportInput): Promise<string> {
  const word = studyResultLabel(v);
  const passed = v.checks.filter((c) => c.pass).length;
  const figures = await Promise.all(v.figures.map(studyFigureHtml));
  const tables = v.tables ?? [];
  const facts: [string, string][] = [
    ['reference', v.reference],
    ['claim', v.claim],
    ['scale', v.scale],
    ['scale note', v.scaleNote],
    ['settings', settingsText(v.settings)],
    ['backend', v.backend ?? 'none (host numerics only)'],
    ['time', `${v.seconds.toFixed(1)} s`],
    ...(v.startedAt ? ([['started', v.startedAt]] as [string, string][]) : []),
  ];
  const body = `<h1>${escapeHtml(v.name)}: ${escapeHtml(v.title)}</h1>
<p class="result result-${word}">${word}: ${passed} of ${v.checks.length} checks passed</p>
${v.error ? `<p class="error">${escapeHtml(v.status === 'cancelled' ? 'Cancelled' : 'The study failed')}: ${escapeHtml(v.error)}</p>` : ''}
<dl>${facts.map(([k, x]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(x)}</dd>`).join('')}</dl>
<h2>Checks</h2>
${checksTable(v.checks)}
${figures.length > 0 ? `<h2>Figures</h2>\n${figures.join('\n')}` : ''}
${tables.length > 0 ? `<h2>Tables</h2>\n${tables.map(studyTable).join('\n')}` : ''}
${v.runs.length > 0 ? `<h2>Training runs</h2>\n${runsTable(v.runs)}` : ''}`;
  return page(`gradlab verify: ${v.name}`, body, STUDY_CSS);
}
