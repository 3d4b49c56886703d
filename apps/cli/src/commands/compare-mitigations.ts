import { join } from 'node:path';
import {
  assertWithinBudget,
  type ExperimentSpec,
  formatNumber,
  GradlabError,
  type RunResult,
  runExperiment,
  type StepDiagnostics,
  useBackend,
} from '@gradlab/core';
import { createRunRecorder, memoryLimit, writeFileAtomic } from '@gradlab/core/node';
import { applyMitigations } from '@gradlab/mitigations';
import { EXIT } from '../errors.js';
import { applyOverrides, loadSpec } from '../load-spec.js';
import { type FitColumn, fitTable } from '../render/fit-table.js';
import { printable } from '../render/printable.js';
import { progressListener } from '../render/progress.js';
import { colorEnabled, paintVerdict, pct, sci } from '../render/style.js';
import { fitLine, outputWidth } from '../render/width.js';
import { onStopSignals } from '../stop-signals.js';
import { stoppedMessage } from './compare-stopped.js';
import { defaultOut, prepareComparisonDir } from './out-dir.js';

export interface CompareMitigationsOptions {
  readonly with: string;
  readonly backend: string;
  readonly steps?: number;
  readonly seed?: number;
  readonly out?: string;
  readonly json?: boolean;
  /** No progress on stderr: only the table (or the JSON). */
  readonly quiet?: boolean;
}

/** One row of the comparison: what a user reads to choose a mitigation. */
export interface ComparisonRow {
  readonly variant: string;
  readonly record: string;
  /** First layer's gradient norm over the last layer's, at step 1 and at the last full step. */
  readonly ratioFirstToLast: { readonly start: number | null; readonly end: number | null };
  readonly verdict: RunResult['verdict'];
  readonly worstVerdict: RunResult['worstVerdict'];
  readonly finalLoss: number | null;
  readonly accuracy: number | null;
  readonly seconds: number;
  readonly status: RunResult['status'];
}

const ratioOf = (d: StepDiagnostics | null): number | null => d?.layers[0]?.ratioToLast ?? null;

/**
 * The comparison's columns. A narrow table shortens the headings, then drops time, then
 * accuracy, then final loss: the variant, the two ratios and the verdict always stay.
 */
const comparisonColumns = (color: boolean): FitColumn<ComparisonRow>[] => [
  { head: 'variant', cell: (r) => r.variant },
  {
    head: 'first/last layer, step 1',
    short: 'ratio, step 1',
    align: 'right',
    cell: (r) => sci(r.ratioFirstToLast.start),
  },
  {
    head: 'at the end',
    short: 'ratio, end',
    align: 'right',
    cell: (r) => sci(r.ratioFirstToLast.end),
  },
  { head: 'verdict', cell: (r) => paintVerdict(color, r.verdict) },
  {
    head: 'final loss',
    short: 'loss',
    align: 'right',
    cell: (r) => formatNumber(r.finalLoss, { digits: 4 }),
    drop: 3,
  },
  {
    head: 'accuracy',
    short: 'acc.',
    align: 'right',
    cell: (r) => pct(r.accuracy),
    drop: 2,
  },
  { head: 'time', align: 'right', cell: (r) => `${r.seconds.toFixed(1)} s`, drop: 1 },
];

const NOTE =
  "ratio: the first layer's gradient norm over the last layer's; final loss and accuracy: the trained network in inference mode on up to 1,024 examples.";

/** Directory-safe name of a variant ("relu+he-init" stays readable). */
const dirName = (variant: string) => variant.replace(/[^A-Za-z0-9+._-]/g, '_');

/**
 * `gradlab compare --with`: the baseline and each variant (mitigations joined with "+") from the same
 * seed and data on one backend; one table, one directory holding every run and comparison.json.
 * Every variant is built and validated before the first run starts.
 */
export async function compareMitigations(
  target: string,
  o: CompareMitigationsOptions,
): Promise<number> {
  const base = applyOverrides(await loadSpec(target), o, target);
  const variantNames = o.with
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (variantNames.length === 0) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      '--with needs at least one variant, e.g. --with relu+he-init,batchnorm',
    );
  }
  const variants: [string, ExperimentSpec][] = [
    ['baseline', base],
    ...variantNames.map((v): [string, ExperimentSpec] => [v, applyMitigations(base, v)]),
  ];
  const limit = memoryLimit();
  for (const [name, spec] of variants) assertWithinBudget(spec, limit, `the ${name} run`);
  const { info } = await useBackend(o.backend);
  const out = await prepareComparisonDir(o.out ?? defaultOut(`compare-${base.name}`));

  const rows: ComparisonRow[] = [];
  const abort = new AbortController();
  const stop = onStopSignals(() => abort.abort());
  try {
    for (const [i, [name, spec]] of variants.entries()) {
      if (abort.signal.aborted) break;
      const chatty = !o.json && !o.quiet;
      if (chatty)
        process.stderr.write(`[${i + 1}/${variants.length}] ${name} on ${info.name}...\n`);
      // A live bar (with ETA) on a terminal; in logs the line above is progress enough.
      const bar =
        chatty && process.stderr.isTTY
          ? progressListener(process.stderr, spec.training.steps)
          : null;
      const recorder = await createRunRecorder(join(out, dirName(name)), spec, info);
      let first: StepDiagnostics | null = null;
      const t0 = performance.now();
      const result = await runExperiment(spec, {
        signal: abort.signal,
        listeners: [
          recorder.listener,
          (e) => {
            if (e.type === 'step' && e.step === 1) first = e.diagnostics;
          },
          ...(bar ? [bar.listener] : []),
        ],
      }).finally(() => bar?.stop());
      rows.push({
        variant: name,
        record: recorder.dir,
        ratioFirstToLast: { start: ratioOf(first), end: ratioOf(result.final) },
        verdict: result.verdict,
        worstVerdict: result.worstVerdict,
        finalLoss: result.evaluation?.loss ?? result.loss.last,
        accuracy: result.evaluation?.accuracy ?? null,
        seconds: (performance.now() - t0) / 1000,
        status: result.status,
      });
    }
  } finally {
    stop.dispose();
  }
  const cancelled = abort.signal.aborted;
  if (stop.received) {
    const reached = new Set(rows.map((r) => r.variant));
    process.stderr.write(
      stoppedMessage({
        signal: stop.received,
        out,
        finished: rows.filter((r) => r.status !== 'cancelled').map((r) => r.variant),
        interrupted: rows.find((r) => r.status === 'cancelled')?.variant ?? null,
        notRun: variants.map(([name]) => name).filter((n) => !reached.has(n)),
      }),
    );
  }
  const comparison = {
    gradlab: 1,
    kind: 'comparison',
    // 'cancelled': a stop signal ended it; the variants it did not reach have no row.
    status: cancelled ? 'cancelled' : 'complete',
    baseline: base.name,
    backend: info,
    variants: variantNames,
    rows,
  };
  await writeFileAtomic(join(out, 'comparison.json'), `${JSON.stringify(comparison, null, 2)}\n`);
  // The page is a view of the records: if it cannot be drawn, say so and keep the runs.
  let page = '';
  try {
    const { writeComparisonReport } = await import('@gradlab/report');
    page = `report: ${await writeComparisonReport(out)}\n`;
  } catch (e) {
    process.stderr.write(
      `gradlab: warning: comparison.html was not written (${e instanceof Error ? e.message : String(e)}); the runs are kept.\n`,
    );
  }

  if (o.json) {
    process.stdout.write(`${JSON.stringify({ record: out, ...comparison }, null, 2)}\n`);
    return cancelled ? stop.exitCode : EXIT.ok;
  }
  const color = colorEnabled(process.stdout);
  const table = fitTable(comparisonColumns(color), rows, color, outputWidth());
  process.stdout.write(
    `${printable(base.name)} on ${info.name}, ${base.training.steps} steps, seed ${base.seed}:\n${table}\n${fitLine(NOTE, outputWidth())}\nruns and comparison.json written to ${out}\n${page}`,
  );
  return cancelled ? stop.exitCode : EXIT.ok;
}
