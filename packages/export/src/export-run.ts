import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GradlabError, type MetricsRow } from '@gradlab/core';
import { readRunRecord } from '@gradlab/core/node';
import { layerRowsCsv } from './csv.js';
import { layerRowsJsonl } from './jsonl.js';
import { layerRows } from './layer-rows.js';
import { openTensorBoardWriter } from './tensorboard.js';

export const EXPORT_FORMATS = ['tensorboard', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportResult {
  /** The files written, in `outDir`. */
  readonly files: readonly string[];
  readonly steps: number;
  readonly rows: number;
}

/** Refuses what cannot be exported before anything is read or written. */
async function checkExport(runDir: string, format: string, outDir: string): Promise<void> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `unknown export format "${format}": use ${EXPORT_FORMATS.join(', ')}`,
    );
  }
  if (!existsSync(runDir)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${runDir} does not exist: give a run directory written by gradlab (run.json, spec.json, metrics.jsonl) or a run bundle`,
    );
  }
  // An export is never merged into older files: a second TensorBoard file in the same
  // directory would show both runs as one.
  const existing = await readdir(outDir).catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? [] : Promise.reject(e),
  );
  if (existing.length > 0) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `--out ${outDir} is not empty: give a new or empty directory`,
    );
  }
}

/**
 * Wall time of each step: the run's start plus the step times so far. The record holds no
 * per-step clock, and this keeps TensorBoard's "relative" axis close to the run's real pace.
 */
function wallTimes(startedAt: string, metrics: readonly MetricsRow[]): number[] {
  let t = Date.parse(startedAt) / 1000;
  return metrics.map((m) => {
    t += (m.ms ?? 0) / 1000;
    return t;
  });
}

/**
 * Writes a finished run's metrics in another tool's format into `outDir` (created; it must be
 * new or empty): a TensorBoard event file, or layers.csv / layers.jsonl with one row per step
 * per layer. Bad input (unknown format, no finished run, a non-empty `outDir`) throws a
 * GradlabError before anything is written.
 */
export async function exportRun(
  runDir: string,
  format: string,
  outDir: string,
): Promise<ExportResult> {
  await checkExport(runDir, format, outDir);
  const record = await readRunRecord(runDir);
  const metrics = record.metrics as readonly MetricsRow[];
  await mkdir(outDir, { recursive: true });
  if (format === 'tensorboard') {
    const times = wallTimes(record.manifest.startedAt, metrics);
    const writer = await openTensorBoardWriter(
      outDir,
      Date.parse(record.manifest.startedAt) / 1000,
    );
    try {
      for (const [i, row] of metrics.entries()) await writer.writeRow(row, times[i]);
    } finally {
      await writer.close();
    }
    return { files: [writer.path], steps: metrics.length, rows: metrics.length };
  }
  const rows = layerRows(metrics);
  const path = join(outDir, `layers.${format}`);
  await writeFile(path, format === 'csv' ? layerRowsCsv(rows) : layerRowsJsonl(rows));
  return { files: [path], steps: metrics.length, rows: rows.length };
}
