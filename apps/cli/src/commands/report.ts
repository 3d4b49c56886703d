import { join, resolve } from 'node:path';
import { readRunRecord, writeFileAtomic } from '@gradlab/core/node';
import { EXIT } from '../errors.js';

export interface ReportCommandOptions {
  readonly format: 'html' | 'svg';
  readonly out?: string;
}

/** Vega is loaded only when a report is drawn, so that other commands start as fast as before. */
const loadReport = () => import('@gradlab/report');

/** Renders report.html for the finished run in `dir` and writes it there; returns its path. */
export async function writeRunReport(dir: string): Promise<string> {
  const path = join(dir, 'report.html');
  const { renderRunReport } = await loadReport();
  await writeFileAtomic(path, await renderRunReport(await readRunRecord(dir)));
  return path;
}

/**
 * `gradlab report <run-dir>`: (re)writes the run's report.html, or with --format svg its
 * gradient-flow chart (gradient-flow.svg), and prints the path. A directory that is not a
 * finished run (no run.json) is bad input: RECORD_INCOMPLETE, exit 2, nothing written.
 */
export async function reportCommand(dir: string, o: ReportCommandOptions): Promise<number> {
  const record = await readRunRecord(dir);
  const { gradientFlowSpec, renderRunReport, renderSvg } = await loadReport();
  const content =
    o.format === 'svg' ? await renderSvg(gradientFlowSpec(record)) : await renderRunReport(record);
  const path = resolve(
    o.out ?? join(dir, o.format === 'svg' ? 'gradient-flow.svg' : 'report.html'),
  );
  await writeFileAtomic(path, content);
  process.stdout.write(`${path}\n`);
  return EXIT.ok;
}
