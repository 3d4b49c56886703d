import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { GradlabError } from '@gradlab/core';
import { readRunRecord, writeFileAtomic } from '@gradlab/core/node';
import { EXIT } from '../errors.js';
import { comparisonReportCommand, isComparisonDir } from './comparison-report.js';
import {
  isSweepDir,
  SWEEP_ONLY_OPTIONS,
  type SweepReportCommandOptions,
  sweepReportCommand,
} from './sweep-report.js';

export interface ReportCommandOptions extends SweepReportCommandOptions {
  readonly format: 'html' | 'svg' | 'md' | 'png';
}

/** Vega is loaded only when a report is drawn, so that other commands start as fast as before. */
const loadReport = () => import('@gradlab/report');

/**
 * Where a report goes by default: inside a run directory (report.html, ...), or beside a run
 * bundle file, named after it (tiny.gradlab.json: tiny.report.html, ...).
 */
export function defaultReportPath(target: string, file: string): string {
  if (!statSync(target, { throwIfNoEntry: false })?.isFile()) return join(target, file);
  const stem = basename(target).replace(/(\.gradlab)?\.json$/, '');
  const [name, ext] = file.split('.') as [string, string];
  return join(dirname(target), `${stem}.${name === 'gradient-flow' ? name : 'report'}.${ext}`);
}

/** Renders report.html for the finished run in `dir` and writes it there; returns its path. */
export async function writeRunReport(dir: string): Promise<string> {
  const path = defaultReportPath(dir, 'report.html');
  const { renderRunReport } = await loadReport();
  await writeFileAtomic(path, await renderRunReport(await readRunRecord(dir)));
  return path;
}

/**
 * `gradlab report <run-dir | run.gradlab.json>`: (re)writes the run's report.html, or with
 * --format svg its gradient-flow chart (gradient-flow.svg), or with --format png a full-page
 * screenshot of report.html in headless Chromium (report.png; report.html is written first if
 * missing), and prints the path. A run bundle's files go beside it. A directory that is not a
 * finished run (no run.json) is bad input: RECORD_INCOMPLETE, exit 2, nothing written.
 * A sweep directory (sweep.json) gets its sweep.html instead (sweep-report.ts), a comparison
 * directory (comparison.json) its comparison.html (comparison-report.ts).
 */
export async function reportCommand(dir: string, o: ReportCommandOptions): Promise<number> {
  if (isSweepDir(dir)) {
    if (o.format !== 'html') {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `--format ${o.format}: a sweep's report is sweep.html only; ${dir} is a sweep directory.`,
      );
    }
    return sweepReportCommand(dir, o);
  }
  const sweepOnly = SWEEP_ONLY_OPTIONS.filter((k) => o[k] !== undefined);
  if (sweepOnly.length > 0) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${sweepOnly.map((k) => `--${k}`).join(', ')}: only for a sweep directory (one with sweep.json); ${dir} is not one.`,
    );
  }
  // A comparison directory (comparison.json) gets its comparison.html (comparison-report.ts).
  if (isComparisonDir(dir)) return comparisonReportCommand(dir, o);
  if (o.format === 'png') {
    // --format png: a full-page screenshot of report.html (written first if missing) in Chromium.
    await readRunRecord(dir);
    const html = defaultReportPath(dir, 'report.html');
    if (!existsSync(html)) await writeRunReport(dir);
    const { renderHtmlToPng } = await import('@gradlab/report/browser');
    const png = await renderHtmlToPng(html, resolve(o.out ?? defaultReportPath(dir, 'report.png')));
    process.stdout.write(`${png}\n`);
    return EXIT.ok;
  }
  const record = await readRunRecord(dir);
  const { gradientFlowSpec, renderRunMarkdown, renderRunReport, renderSvg } = await loadReport();
  const content =
    o.format === 'svg'
      ? await renderSvg(gradientFlowSpec(record))
      : o.format === 'md'
        ? renderRunMarkdown(record)
        : await renderRunReport(record);
  const file = { svg: 'gradient-flow.svg', md: 'report.md', html: 'report.html' }[o.format];
  const path = resolve(o.out ?? defaultReportPath(dir, file));
  await writeFileAtomic(path, content);
  process.stdout.write(`${path}\n`);
  return EXIT.ok;
}
