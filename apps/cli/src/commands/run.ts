import { dirname } from 'node:path';
import {
  assertWithinBudget,
  clipTelemetryOf,
  decisiveEvidence,
  evidenceSummary,
  type RunListener,
  runExperiment,
  useBackend,
} from '@gradlab/core';
import { createRunRecorder, memoryLimit } from '@gradlab/core/node';
import { EXIT } from '../errors.js';
import { applyOverrides, loadSpec } from '../load-spec.js';
import { evaluationLine } from '../render/evaluation.js';
import { layerTable, signalLine, valueNotes } from '../render/layer-table.js';
import { printable } from '../render/printable.js';
import { progressListener } from '../render/progress.js';
import { colorEnabled, paintVerdict, sci } from '../render/style.js';
import { fitLine, outputWidth } from '../render/width.js';
import { onStopSignals } from '../stop-signals.js';
import { defaultOut } from './out-dir.js';
import { writeRunReport } from './report.js';
import { mentionStalePartials } from './stale-partials.js';

export interface RunCommandOptions {
  readonly backend: string;
  readonly steps?: number;
  readonly seed?: number;
  readonly every?: number;
  readonly out?: string;
  readonly json?: boolean;
  /** Only the verdict and where the run was written: no progress, no table. */
  readonly quiet?: boolean;
}

/**
 * `gradlab run`: everything that can be wrong with the input (spec, options, backend, output
 * directory) is checked before anything is written; then the run streams into a staging
 * directory that becomes the run directory when it finishes.
 */
export async function runCommand(target: string, o: RunCommandOptions): Promise<number> {
  const spec = applyOverrides(await loadSpec(target), o, target);
  assertWithinBudget(spec, memoryLimit());
  const selection = await useBackend(o.backend);
  const backend = selection.info;
  const out = o.out ?? defaultOut(`${spec.name}-${backend.name}`);
  // Listening from before the staging directory exists: a stop signal at any moment after it
  // leaves a record marked cancelled, never a partial.
  const abort = new AbortController();
  const stop = onStopSignals(() => abort.abort());
  let recorder: Awaited<ReturnType<typeof createRunRecorder>>;
  try {
    recorder = await createRunRecorder(out, spec, backend);
  } catch (e) {
    stop.dispose();
    throw e;
  }
  await mentionStalePartials(dirname(recorder.dir));
  const color = colorEnabled(process.stdout);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const quiet = Boolean(o.quiet) && !o.json;
  if (!o.json && !quiet) {
    log(`gradlab: ${printable(spec.name)} on ${backend.name} (${backend.device})`);
    for (const s of selection.skipped) log(`  skipped ${s.name}: ${s.reason}`);
  }
  const progress =
    o.json || quiet
      ? null
      : progressListener(
          process.stderr,
          spec.training.steps,
          spec.training.pretraining?.stepsPerLayer ?? 0,
        );
  const listeners: RunListener[] = [recorder.listener, ...(progress ? [progress.listener] : [])];
  let result: Awaited<ReturnType<typeof runExperiment>>;
  try {
    result = await runExperiment(spec, { signal: abort.signal, listeners });
  } catch (e) {
    await recorder.abandon();
    throw e;
  } finally {
    progress?.stop();
    stop.dispose();
  }

  // The report is a view of the record: if it cannot be drawn, say so and keep the run.
  let report: string | null = null;
  try {
    report = await writeRunReport(recorder.dir);
  } catch (e) {
    process.stderr.write(
      `gradlab: warning: report.html was not written (${e instanceof Error ? e.message : String(e)}); the run is kept, and \`gradlab report ${recorder.dir}\` can retry.\n`,
    );
  }

  if (o.json) {
    process.stdout.write(`${JSON.stringify({ record: recorder.dir, backend, result }, null, 2)}\n`);
    return result.status === 'cancelled' ? stop.exitCode : EXIT.ok;
  }
  const print = (s = '') => process.stdout.write(`${s}\n`);
  if (quiet) {
    const because = result.final ? evidenceSummary(result.verdict, result.final.evidence) : null;
    const why = because === null ? '' : ` (${because})`;
    print(`verdict: ${paintVerdict(color, result.verdict)}${why}`);
    print(`run written to ${recorder.dir}`);
    return result.status === 'cancelled' ? stop.exitCode : EXIT.ok;
  }
  if (result.final) {
    print(`\nPer-layer gradients at step ${result.final.step} (input side first):`);
    print(layerTable(result.final, color, outputWidth()));
    for (const note of valueNotes(result.final)) print(fitLine(note, outputWidth()));
    const sig = signalLine(result.final, color, outputWidth());
    if (sig) print(sig);
  }
  print(
    `\nverdict: ${paintVerdict(color, result.verdict)}${result.worstVerdict !== result.verdict ? ` (worst seen: ${paintVerdict(color, result.worstVerdict)})` : ''}`,
  );
  // Which evidence produced the verdict: each finding of that verdict at the last full step.
  if (result.final && result.final.verdict === result.verdict) {
    for (const e of decisiveEvidence(result.verdict, result.final.evidence)) {
      print(fitLine(`  evidence: ${e.summary}`, outputWidth()));
    }
  }
  for (const p of result.firstProblems) {
    const where = `  first ${p.verdict}: step ${p.step}, ${p.layer}`;
    print(fitLine(`${where}${p.summary ? ` (${p.summary})` : ''}`, outputWidth()));
  }
  print(
    `loss: ${sci(result.loss.first)} -> ${sci(result.loss.last)} over ${result.stepsCompleted} steps${result.status === 'cancelled' ? ' (cancelled)' : ''}`,
  );
  if (result.evaluation) print(evaluationLine(result.evaluation));
  for (const p of result.pretraining) {
    print(
      `pre-trained ${p.layer}: reconstruction loss ${sci(p.firstLoss)} -> ${sci(p.lastLoss)} in ${p.steps} steps`,
    );
  }
  const clip = clipTelemetryOf(result.final?.telemetry ?? {});
  if (clip) {
    print(
      `clipping at the last full step: global norm ${sci(clip.preNorm)} -> ${sci(clip.postNorm)}${clip.clipped ? ' (clipped)' : ''}`,
    );
  }
  print(
    `time: ${result.timings.medianStepMs?.toFixed(1) ?? '-'} ms/step (median), ${(result.timings.totalMs / 1000).toFixed(1)} s in all`,
  );
  print(`run written to ${recorder.dir}`);
  if (report) print(`report: ${report}`);
  return result.status === 'cancelled' ? stop.exitCode : EXIT.ok;
}
