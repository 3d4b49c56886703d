import { type ExportFormat, exportRun } from '@gradlab/export';
import { EXIT } from '../errors.js';

export interface ExportCommandOptions {
  readonly format: ExportFormat;
  readonly out: string;
}

/**
 * `gradlab export <run-dir> --format tensorboard|csv|jsonl --out DIR`: the run's metrics in
 * another tool's format. Bad input (no finished run, --out not empty) is refused by
 * exportRun before anything is written: exit 2.
 */
export async function exportCommand(runDir: string, o: ExportCommandOptions): Promise<number> {
  const result = await exportRun(runDir, o.format, o.out);
  const what =
    o.format === 'tensorboard'
      ? `${result.steps} steps of scalars (no histograms: a run record holds norms and ratios, not distributions)`
      : `${result.rows} rows (one per step per layer)`;
  process.stdout.write(`${result.files.join('\n')}\n`);
  process.stderr.write(`gradlab: exported ${what}\n`);
  return EXIT.ok;
}
