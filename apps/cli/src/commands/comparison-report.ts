import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GradlabError } from '@gradlab/core';
import { writeFileAtomic } from '@gradlab/core/node';
import { EXIT } from '../errors.js';

/** A comparison directory (of `gradlab compare`) is one with comparison.json in it. */
export function isComparisonDir(dir: string): boolean {
  try {
    return statSync(join(dir, 'comparison.json')).isFile();
  } catch {
    // ENOENT, and ENOTDIR for a run bundle (a file): not a comparison either way.
    return false;
  }
}

/**
 * `gradlab report <comparison-dir>`: (re)writes comparison.html (or --out) from comparison.json
 * and the runs beside it, and prints its path. comparison.json is checked first: a damaged,
 * truncated or newer one is INVALID_RECORD naming the file and the problem (exit 2), and
 * nothing is written.
 */
export async function comparisonReportCommand(
  dir: string,
  o: { readonly format: string; readonly out?: string },
): Promise<number> {
  if (o.format !== 'html') {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `--format ${o.format}: a comparison's report is comparison.html only; ${dir} is a comparison directory.`,
    );
  }
  // The renderer loads Vega: only now, when a report is drawn.
  const { renderComparisonReport } = await import('@gradlab/report');
  const html = await renderComparisonReport(dir);
  const path = resolve(o.out ?? join(dir, 'comparison.html'));
  await writeFileAtomic(path, html);
  process.stdout.write(`${path}\n`);
  return EXIT.ok;
}
