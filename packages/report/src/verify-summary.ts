import { escapeHtml, page } from './html.js';
import { STUDY_CSS } from './study.js';
import { type StudyReportInput, studyResultLabel } from './study-input.js';

export interface VerifySummaryOptions {
  /** The link to a study's page, relative to the index (default "<name>/report.html"). */
  readonly hrefOf?: (v: StudyReportInput) => string;
  /** The backend the studies ran on, for the header. */
  readonly backend?: string;
  /** Studies that were not run (a cancelled verify all), listed after the others. */
  readonly notRun?: readonly string[];
  /** Wall time of the whole verification (default: the sum of the studies'). */
  readonly seconds?: number;
}

const defaultHref = (v: StudyReportInput) => `./${encodeURIComponent(v.name)}/report.html`;

/**
 * The index page of a verification of several studies (index.html of `gradlab verify all`): the
 * tally, then one row per study: its result, checks passed, time, and a link to its page.
 */
export function renderVerifySummary(
  verifications: readonly StudyReportInput[],
  options: VerifySummaryOptions = {},
): string {
  const hrefOf = options.hrefOf ?? defaultHref;
  const passed = verifications.filter((v) => v.pass).length;
  const checks = verifications.reduce((n, v) => n + v.checks.length, 0);
  const checksPassed = verifications.reduce((n, v) => n + v.checks.filter((c) => c.pass).length, 0);
  const seconds = options.seconds ?? verifications.reduce((t, v) => t + v.seconds, 0);
  const notRun = options.notRun ?? [];
  const scales = [...new Set(verifications.map((v) => v.scale))].join(', ');
  const rows = verifications.map((v) => {
    const word = studyResultLabel(v);
    const ok = v.checks.filter((c) => c.pass).length;
    return `<tr><td><a href="${escapeHtml(hrefOf(v))}">${escapeHtml(v.name)}</a></td><td>${escapeHtml(v.title)}</td><td class="result-${word}">${word}</td><td class="num">${ok}/${v.checks.length}</td><td class="num">${escapeHtml(v.seconds.toFixed(1))} s</td><td>${v.error ? `<span class="error">${escapeHtml(v.error)}</span>` : ''}</td></tr>`;
  });
  for (const name of notRun) {
    rows.push(
      `<tr><td>${escapeHtml(name)}</td><td></td><td>not run</td><td></td><td></td><td></td></tr>`,
    );
  }
  const allPassed = passed === verifications.length && notRun.length === 0;
  const word = allPassed && verifications.length > 0 ? 'PASS' : 'FAIL';
  const body = `<h1>gradlab verify</h1>
<p class="result result-${word}">${passed} of ${verifications.length + notRun.length} studies passed; ${checksPassed} of ${checks} checks</p>
<dl><dt>scale</dt><dd>${escapeHtml(scales || '-')}</dd>${options.backend ? `<dt>backend</dt><dd>${escapeHtml(options.backend)}</dd>` : ''}<dt>time</dt><dd>${escapeHtml(seconds.toFixed(1))} s</dd></dl>
<table class="layers"><thead><tr><th>study</th><th>title</th><th>result</th><th>checks passed</th><th>time</th><th>error</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
  return page('gradlab verify', body, STUDY_CSS);
}
