import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@gradlab/core/node';
import type { StudyVerification } from '@gradlab/experiments';
import { writeRunReport } from './report.js';

/** verify.json of `gradlab verify`: the whole verification, every study's included. */
export interface VerifySummary {
  readonly gradlab: 1;
  readonly kind: 'verify';
  readonly target: string;
  readonly scale: StudyVerification['scale'];
  readonly backend: { readonly name: string; readonly device: string };
  readonly status: 'complete' | 'cancelled';
  readonly pass: boolean;
  readonly passed: number;
  readonly failed: number;
  /** Studies not run because the verification was cancelled first. */
  readonly notRun: readonly string[];
  readonly startedAt: string;
  readonly seconds: number;
  /** Where the verification was written. */
  readonly out: string;
  readonly studies: readonly StudyVerification[];
}

const json = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;

const warn = (what: string, e: unknown) =>
  process.stderr.write(
    `gradlab: warning: ${what} was not written (${e instanceof Error ? e.message : String(e)}); verify.json is kept.\n`,
  );

/** The report package loads vega: only when a page is drawn. */
const loadReport = () => import('@gradlab/report');

/**
 * A study's files: verify.json (first: it is the result), report.html, and report.html of each
 * of its run records that has none. A page that cannot be drawn is a warning, never a lost result.
 */
export async function writeStudyFiles(dir: string, v: StudyVerification): Promise<void> {
  await writeFileAtomic(join(dir, 'verify.json'), json(v));
  try {
    const { renderStudyReport } = await loadReport();
    await writeFileAtomic(join(dir, 'report.html'), await renderStudyReport(v));
  } catch (e) {
    warn(`${v.name}/report.html`, e);
  }
  for (const run of v.runs) {
    // A run trained on a worker has its page already (the worker drew it).
    if (!run.record || existsSync(join(dir, run.record, 'report.html'))) continue;
    try {
      await writeRunReport(join(dir, run.record));
    } catch (e) {
      warn(`the report of run "${run.label}"`, e);
    }
  }
}

/** The top of a verification of several studies: verify.json and index.html. */
export async function writeSummaryFiles(out: string, summary: VerifySummary): Promise<void> {
  await writeFileAtomic(join(out, 'verify.json'), json(summary));
  try {
    const { renderVerifySummary } = await loadReport();
    const page = renderVerifySummary(summary.studies, {
      backend: `${summary.backend.name} (${summary.backend.device})`,
      notRun: summary.notRun,
      seconds: summary.seconds,
    });
    await writeFileAtomic(join(out, 'index.html'), page);
  } catch (e) {
    warn('index.html', e);
  }
}
