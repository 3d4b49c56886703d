import { join } from 'node:path';
import {
  assertWithinBudget,
  type BackendAgreement,
  type BackendInfo,
  compareBackendRuns,
  DIVERGENCE_TOLERANCE,
  describeDivergence,
  formatNumber,
  getBackendAdapter,
  listBackends,
  type RunResult,
  runExperiment,
  type StepDiagnostics,
  safeProbe,
} from '@gradlab/core';
import { createRunRecorder, memoryLimit, writeFileAtomic } from '@gradlab/core/node';
import { EXIT } from '../errors.js';
import { applyOverrides, loadSpec } from '../load-spec.js';
import { type FitColumn, fitTable } from '../render/fit-table.js';
import { printable } from '../render/printable.js';
import { progressListener } from '../render/progress.js';
import { colorEnabled, normCell, paint, paintVerdict, sci } from '../render/style.js';
import { fitLine, outputWidth } from '../render/width.js';
import { onStopSignals } from '../stop-signals.js';
import { stoppedMessage } from './compare-stopped.js';
import { defaultOut, prepareComparisonDir } from './out-dir.js';

export interface CompareBackendsOptions {
  readonly backends?: string;
  readonly steps?: number;
  readonly seed?: number;
  readonly out?: string;
  readonly json?: boolean;
  /** No progress on stderr: only the tables (or the JSON). */
  readonly quiet?: boolean;
}

interface BackendRun {
  readonly name: string;
  readonly status: 'ran' | 'unavailable';
  readonly reason?: string;
  readonly info?: BackendInfo;
  readonly record?: string;
  readonly result?: RunResult;
  readonly steps: StepDiagnostics[];
}

/**
 * `gradlab compare --backends`: the same experiment, from the same seed and initial weights, on
 * each backend, compared with the reference (cpu when it ran) in two separate figures:
 * - step-1 gradient agreement: per layer, the relative difference of the kernel and bias
 *   gradient norms at step 1, where both backends hold the same weights and the same batch:
 *   the backends' arithmetic alone, the correctness figure;
 * - trajectory drift: the largest relative difference of the loss and of each layer's gradient
 *   norm over the run, and the first step at which one differs by more than 1e-3. Training
 *   amplifies the step-1 differences, so this measures the dynamics as much as the backends.
 * Also ms/step. An unavailable backend is a row saying why; the comparison runs on the others.
 */
export async function compareBackends(target: string, o: CompareBackendsOptions): Promise<number> {
  const spec = applyOverrides(await loadSpec(target), o, target);
  assertWithinBudget(spec, memoryLimit());
  const names = o.backends
    ? o.backends
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : listBackends().map((a) => a.name);
  const adapters = names.map((n) => getBackendAdapter(n)); // UNKNOWN_BACKEND before any run
  const out = await prepareComparisonDir(o.out ?? defaultOut(`compare-backends-${spec.name}`));

  const runs: BackendRun[] = [];
  // A stop signal ends the backend running (its record is kept, marked cancelled) and the
  // comparison with it: what finished is compared and written, as `gradlab run` keeps its run.
  const abort = new AbortController();
  const stop = onStopSignals(() => abort.abort());
  let interrupted: string | null = null;
  try {
    for (const [i, adapter] of adapters.entries()) {
      if (abort.signal.aborted) break;
      const probe = await safeProbe(adapter);
      if (!probe.available) {
        runs.push({
          name: adapter.name,
          status: 'unavailable',
          reason: `${probe.reason}. To fix: ${probe.hint}`,
          steps: [],
        });
        continue;
      }
      let info: BackendInfo;
      try {
        info = await adapter.activate();
      } catch (e) {
        runs.push({
          name: adapter.name,
          status: 'unavailable',
          reason: (e as Error).message,
          steps: [],
        });
        continue;
      }
      const chatty = !o.json && !o.quiet;
      if (chatty) {
        process.stderr.write(
          `[${i + 1}/${adapters.length}] ${printable(spec.name)} on ${adapter.name} (${info.device})...\n`,
        );
      }
      // A live bar (with ETA) on a terminal; in logs the line above is progress enough.
      const bar =
        chatty && process.stderr.isTTY
          ? progressListener(process.stderr, spec.training.steps)
          : null;
      const recorder = await createRunRecorder(join(out, adapter.name), spec, info);
      const steps: StepDiagnostics[] = [];
      const result = await runExperiment(spec, {
        signal: abort.signal,
        listeners: [
          recorder.listener,
          (e) => void (e.type === 'step' && e.diagnostics && steps.push(e.diagnostics)),
          ...(bar ? [bar.listener] : []),
        ],
      }).finally(() => bar?.stop());
      runs.push({ name: adapter.name, status: 'ran', info, record: recorder.dir, result, steps });
      if (result.status === 'cancelled') interrupted = adapter.name;
    }
  } finally {
    stop.dispose();
  }
  const cancelled = stop.received !== null;
  if (stop.received) {
    const reached = new Set(runs.map((r) => r.name));
    process.stderr.write(
      stoppedMessage({
        signal: stop.received,
        out,
        finished: runs
          .filter((r) => r.status === 'ran' && r.name !== interrupted)
          .map((r) => r.name),
        interrupted,
        notRun: adapters.map((a) => a.name).filter((n) => !reached.has(n)),
      }),
    );
  }

  const ran = runs.filter((r) => r.status === 'ran');
  const reference = ran.find((r) => r.name === 'cpu') ?? ran[0];
  const layerNames = reference?.steps[0]?.layers.map((l) => l.name) ?? [];
  const agreement = new Map<string, BackendAgreement>(
    ran
      .filter((r) => r !== reference)
      .map((r) => [r.name, compareBackendRuns(reference?.steps ?? [], r.steps)]),
  );
  const summary = runs.map((r) => {
    const a = agreement.get(r.name);
    return {
      backend: r.name,
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.info ? { info: r.info } : {}),
      ...(r.record ? { record: r.record } : {}),
      verdict: r.result?.verdict ?? null,
      msPerStep: r.result?.timings.medianStepMs ?? null,
      // null for the reference itself and for a backend that did not run.
      step1: a?.step1
        ? { maxRelDiff: a.step1.maxRelDiff, worstLayer: a.step1.worstLayer, loss: a.step1.loss }
        : null,
      drift: a
        ? {
            steps: a.drift.steps,
            tolerance: a.drift.tolerance,
            lossMaxRelDiff: a.drift.lossMaxRelDiff,
            gradNormMaxRelDiff: a.drift.gradNormMaxRelDiff,
            firstDivergence: a.drift.firstDivergence,
          }
        : null,
    };
  });
  /** One number per backend that ran (null where there is none). */
  const byBackend = (value: (r: BackendRun) => number | null | undefined) =>
    Object.fromEntries(ran.map((r) => [r.name, value(r) ?? null]));
  const layers = layerNames.map((name, li) => ({
    layer: name,
    step1GradNorm: byBackend((r) => r.steps.find((d) => d.step === 1)?.layers[li]?.gradNorm),
    finalGradNorm: byBackend((r) => r.steps.at(-1)?.layers[li]?.gradNorm),
    // Step 1: the larger of the kernel's and the bias's relative difference.
    step1RelDiff: byBackend((r) =>
      r === reference ? 0 : agreement.get(r.name)?.step1?.layers[li]?.maxRelDiff,
    ),
    // Drift: the same, the largest over all steps.
    maxRelDiff: byBackend((r) =>
      r === reference ? 0 : agreement.get(r.name)?.drift.layers[li]?.maxRelDiff,
    ),
  }));
  const comparison = {
    gradlab: 1,
    kind: 'backend-comparison',
    // 'cancelled': a stop signal ended it; the backends it did not reach are not listed.
    status: cancelled ? 'cancelled' : 'complete',
    spec: spec.name,
    reference: reference?.name ?? null,
    tolerance: DIVERGENCE_TOLERANCE,
    backends: summary,
    layers,
  };
  await writeFileAtomic(join(out, 'comparison.json'), `${JSON.stringify(comparison, null, 2)}\n`);
  // The page is a view of the records: if it cannot be drawn, say so and keep the runs.
  let page = '';
  try {
    const { writeBackendComparisonReport } = await import('@gradlab/report');
    page = `report: ${await writeBackendComparisonReport(out)}\n`;
  } catch (e) {
    process.stderr.write(
      `gradlab: warning: comparison.html was not written (${e instanceof Error ? e.message : String(e)}); the runs are kept.\n`,
    );
  }

  if (o.json) {
    process.stdout.write(`${JSON.stringify({ record: out, ...comparison }, null, 2)}\n`);
    if (cancelled) return stop.exitCode;
    return ran.length > 0 ? EXIT.ok : EXIT.badInput;
  }
  const color = colorEnabled(process.stdout);
  const width = outputWidth();
  const tol = formatNumber(DIVERGENCE_TOLERANCE);
  type Summary = (typeof summary)[number];
  const ranOk = (s: Summary, value: (s: Summary, reference: boolean) => string) =>
    s.status === 'unavailable' ? '-' : value(s, s.backend === reference?.name);
  // A narrow table shortens the headings, then drops device, then the first step beyond the
  // tolerance, then ms/step: the backend, both differences and the verdict always stay.
  const backendColumns: FitColumn<Summary>[] = [
    { head: 'backend', cell: (s) => s.backend },
    {
      head: 'device',
      // The reason is long (it says how to fix it): printed under the table, not in it.
      cell: (s) =>
        s.status === 'unavailable'
          ? paint(color, 'red', 'unavailable (see below)')
          : (s.info?.device ?? '-'),
      drop: 1,
    },
    {
      head: 'ms/step',
      align: 'right',
      cell: (s) => ranOk(s, () => s.msPerStep?.toFixed(1) ?? '-'),
      drop: 3,
    },
    {
      head: 'step-1 grad: max rel. diff',
      short: 'step-1 grad diff',
      align: 'right',
      cell: (s) => ranOk(s, (s, ref) => (ref ? 'reference' : sci(s.step1?.maxRelDiff ?? null))),
    },
    {
      head: 'loss drift: max rel. diff',
      short: 'loss drift',
      align: 'right',
      cell: (s) => ranOk(s, (s, ref) => (ref ? 'reference' : sci(s.drift?.lossMaxRelDiff ?? null))),
    },
    {
      head: `first step beyond ${tol}`,
      short: `beyond ${tol}`,
      align: 'right',
      cell: (s) =>
        ranOk(s, (s, ref) => {
          const d = s.drift?.firstDivergence;
          return ref || d === undefined ? '-' : d === 'never' ? 'never' : String(d.step);
        }),
      drop: 2,
    },
    {
      head: 'verdict',
      cell: (s) => (s.status !== 'unavailable' && s.verdict ? paintVerdict(color, s.verdict) : '-'),
    },
  ];
  const backendsTable = fitTable(backendColumns, summary, color, width);
  const others = ran.filter((r) => r !== reference);
  // Per layer: a narrow table shortens the headings, then drops each backend's drift column.
  const layerColumns: FitColumn<(typeof layers)[number]>[] = [
    { head: 'layer', cell: (l) => l.layer },
    {
      head: `${reference?.name} grad norm, step 1`,
      short: `${reference?.name} norm`,
      align: 'right',
      cell: (l) => normCell(reference ? (l.step1GradNorm[reference.name] ?? null) : null),
    },
    ...others.flatMap((r): FitColumn<(typeof layers)[number]>[] => [
      {
        head: `${r.name}: step-1 rel. diff`,
        short: `${r.name} step 1`,
        align: 'right',
        cell: (l) => sci(l.step1RelDiff[r.name] ?? null),
      },
      {
        head: `${r.name}: max rel. diff, ${agreement.get(r.name)?.drift.steps ?? 0} steps`,
        short: `${r.name} max`,
        align: 'right',
        cell: (l) => sci(l.maxRelDiff[r.name] ?? null),
        drop: 1,
      },
    ]),
  ];
  const layerTable = fitTable(layerColumns, layers, color, width);
  // The two figures, each saying what it measures.
  const headlines = others
    .map((r) => {
      const a = agreement.get(r.name);
      if (!a) return '';
      const step1 = a.step1
        ? `step-1 gradient agreement (same weights, same batch), max relative difference: ${sci(a.step1.maxRelDiff)}${a.step1.worstLayer ? ` (${a.step1.worstLayer})` : ''}`
        : 'step-1 gradient agreement: no step 1 to compare';
      const drift = `training-trajectory drift over ${a.drift.steps} steps: loss max relative difference ${sci(a.drift.lossMaxRelDiff)}, gradient norms ${sci(a.drift.gradNormMaxRelDiff)}; ${describeDivergence(a.drift)}`;
      return `${r.name} against ${reference?.name}:\n${fitLine(`  ${step1}`, width)}\n${fitLine(`  ${drift}`, width)}\n`;
    })
    .join('');
  process.stdout.write(
    `${printable(spec.name)}, ${spec.training.steps} steps, seed ${spec.seed}; reference: ${reference?.name ?? 'none'}\n${backendsTable}\n` +
      summary
        .filter((b) => b.status === 'unavailable')
        .map((b) => `${fitLine(`${b.backend} unavailable: ${b.reason}`, width)}\n`)
        .join('') +
      headlines +
      (ran.length > 0
        ? `${fitLine(`Per layer: ${reference?.name}'s gradient norm at step 1, each backend's relative difference from it at step 1 (kernel or bias, the larger), and the largest over all steps:`, width)}\n${layerTable}\n`
        : '') +
      `runs and comparison.json written to ${out}\n${page}`,
  );
  if (cancelled) return stop.exitCode;
  return ran.length > 0 ? EXIT.ok : EXIT.badInput;
}
