import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GradlabError } from '@gradlab/core';
import { writeFileAtomic } from '@gradlab/core/node';
import { readSweep, SWEEP_FILE } from '@gradlab/sweep';
import { EXIT } from '../errors.js';

export interface SweepReportCommandOptions {
  readonly measure?: string;
  readonly x?: string;
  readonly y?: string;
  readonly out?: string;
}

/** The options that only a sweep's report has. */
export const SWEEP_ONLY_OPTIONS = ['measure', 'x', 'y'] as const;

/** A sweep directory is one with sweep.json in it. */
export function isSweepDir(dir: string): boolean {
  try {
    return statSync(join(dir, SWEEP_FILE)).isFile();
  } catch {
    // ENOENT, and ENOTDIR for a run bundle (a file): not a sweep either way.
    return false;
  }
}

/**
 * `gradlab report <sweep-dir>`: writes sweep.html (or --out) from sweep.json, with the overlays
 * the sweep has, and prints its path. An axis that the sweep does not have is bad input naming
 * the option, the value and the sweep's axes; so is an unknown measure.
 */
export async function sweepReportCommand(
  dir: string,
  o: SweepReportCommandOptions,
): Promise<number> {
  const file = await readSweep(dir);
  // The renderer loads Vega: only now, when a report is drawn.
  const { axisNames, renderSweepReport, SWEEP_MEASURES, sweepOverlays } = await import(
    '@gradlab/sweep/report'
  );
  if (o.measure !== undefined && !(SWEEP_MEASURES as readonly string[]).includes(o.measure)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `--measure ${o.measure}: no such measure; the measures are ${SWEEP_MEASURES.join(', ')}.`,
    );
  }
  const axes = axisNames(file);
  for (const option of ['x', 'y'] as const) {
    const value = o[option];
    if (value !== undefined && !axes.includes(value)) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `--${option} ${value}: the sweep in ${dir} has no such axis; its axes are ${axes.join(', ')} (seeds are aggregated).`,
      );
    }
  }
  const html = await renderSweepReport(file, {
    measure: o.measure,
    x: o.x,
    y: o.y,
    overlays: sweepOverlays(file),
  });
  const path = resolve(o.out ?? join(dir, 'sweep.html'));
  await writeFileAtomic(path, html);
  process.stdout.write(`${path}\n`);
  return EXIT.ok;
}
