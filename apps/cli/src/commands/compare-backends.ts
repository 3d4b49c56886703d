import { join } from 'node:path';
import {
  type BackendInfo,
  getBackendAdapter,
  listBackends,
  type RunResult,
  runExperiment,
  type StepDiagnostics,
  safeProbe,
} from '@gradlab/core';
import { createRunRecorder, writeFileAtomic } from '@gradlab/core/node';
import Table from 'cli-table3';
import { EXIT } from '../errors.js';
import { applyOverrides, loadSpec } from '../load-spec.js';
import { progressListener } from '../render/progress.js';
import { colorEnabled, paint, paintVerdict, sci } from '../render/style.js';
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

/** |a - b| / |ref|: relative to the reference backend's value. */
const relDiff = (value: number, ref: number): number =>
  value === ref ? 0 : Math.abs(value - ref) / Math.max(Math.abs(ref), Number.MIN_VALUE);

/**
 * `gradlab compare --backends`: the same experiment, from the same seed and initial weights, on
 * each backend. Reports per layer the gradient norm on each backend and its largest relative
 * difference from the reference (cpu when it ran), the losses' largest divergence and ms/step.
 * An unavailable backend is a row saying why; the comparison runs on the others.
 */
export async function compareBackends(target: string, o: CompareBackendsOptions): Promise<number> {
  const spec = applyOverrides(await loadSpec(target), o, target);
  const names = o.backends
    ? o.backends
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : listBackends().map((a) => a.name);
  const adapters = names.map((n) => getBackendAdapter(n)); // UNKNOWN_BACKEND before any run
  const out = await prepareComparisonDir(o.out ?? defaultOut(`compare-backends-${spec.name}`));

  const runs: BackendRun[] = [];
  for (const [i, adapter] of adapters.entries()) {
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
        `[${i + 1}/${adapters.length}] ${spec.name} on ${adapter.name} (${info.device})...\n`,
      );
    }
    // A live bar (with ETA) on a terminal; in logs the line above is progress enough.
    const bar =
      chatty && process.stderr.isTTY ? progressListener(process.stderr, spec.training.steps) : null;
    const recorder = await createRunRecorder(join(out, adapter.name), spec, info);
    const steps: StepDiagnostics[] = [];
    const result = await runExperiment(spec, {
      listeners: [
        recorder.listener,
        (e) => void (e.type === 'step' && e.diagnostics && steps.push(e.diagnostics)),
        ...(bar ? [bar.listener] : []),
      ],
    }).finally(() => bar?.stop());
    runs.push({ name: adapter.name, status: 'ran', info, record: recorder.dir, result, steps });
  }

  const ran = runs.filter((r) => r.status === 'ran');
  const reference = ran.find((r) => r.name === 'cpu') ?? ran[0];
  const layerNames = reference?.steps[0]?.layers.map((l) => l.name) ?? [];
  const summary = runs.map((r) => {
    const lossDiffs = r.steps.map((d, s) => relDiff(d.loss, reference?.steps[s]?.loss ?? d.loss));
    return {
      backend: r.name,
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.info ? { info: r.info } : {}),
      ...(r.record ? { record: r.record } : {}),
      verdict: r.result?.verdict ?? null,
      msPerStep: r.result?.timings.medianStepMs ?? null,
      lossMaxRelDiff: r.status === 'ran' ? Math.max(0, ...lossDiffs) : null,
    };
  });
  const layers = layerNames.map((name, li) => ({
    layer: name,
    finalGradNorm: Object.fromEntries(
      ran.map((r) => [r.name, r.steps.at(-1)?.layers[li]?.gradNorm ?? null]),
    ),
    maxRelDiff: Object.fromEntries(
      ran.map((r) => [
        r.name,
        Math.max(
          0,
          ...r.steps.map((d, s) =>
            relDiff(
              d.layers[li]?.gradNorm ?? Number.NaN,
              reference?.steps[s]?.layers[li]?.gradNorm ?? Number.NaN,
            ),
          ),
        ),
      ]),
    ),
  }));
  const comparison = {
    gradlab: 1,
    kind: 'backend-comparison',
    spec: spec.name,
    reference: reference?.name ?? null,
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
    return ran.length > 0 ? EXIT.ok : EXIT.badInput;
  }
  const color = colorEnabled(process.stdout);
  const style = { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] };
  const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
  const backendsTable = new Table({
    head: ['backend', 'device', 'ms/step', 'loss: max rel. diff', 'verdict'],
    style,
    chars,
    colAligns: ['left', 'left', 'right', 'right', 'left'],
  });
  for (const s of summary) {
    if (s.status === 'unavailable') {
      // The reason is long (it says how to fix it): printed under the table, not in it.
      backendsTable.push([
        s.backend,
        paint(color, 'red', 'unavailable (see below)'),
        '-',
        '-',
        '-',
      ]);
    } else {
      backendsTable.push([
        s.backend,
        s.info?.device ?? '-',
        s.msPerStep?.toFixed(1) ?? '-',
        sci(s.lossMaxRelDiff),
        s.verdict ? paintVerdict(color, s.verdict) : '-',
      ]);
    }
  }
  const layerTable = new Table({
    head: [
      'layer',
      ...ran.map((r) => `${r.name} grad norm`),
      ...ran.filter((r) => r !== reference).map((r) => `${r.name} max rel. diff`),
    ],
    style,
    chars,
  });
  for (const l of layers) {
    layerTable.push([
      l.layer,
      ...ran.map((r) => sci(l.finalGradNorm[r.name] ?? null)),
      ...ran.filter((r) => r !== reference).map((r) => sci(l.maxRelDiff[r.name] ?? null)),
    ]);
  }
  process.stdout.write(
    `${spec.name}, ${spec.training.steps} steps, seed ${spec.seed}; reference: ${reference?.name ?? 'none'}\n${backendsTable.toString()}\n` +
      summary
        .filter((b) => b.status === 'unavailable')
        .map((b) => `${b.backend} unavailable: ${b.reason}\n`)
        .join('') +
      (ran.length > 0
        ? `Per layer, gradient norm at the last step and the largest relative difference from ${reference?.name} over all steps:\n${layerTable.toString()}\n`
        : '') +
      `runs and comparison.json written to ${out}\n${page}`,
  );
  return ran.length > 0 ? EXIT.ok : EXIT.badInput;
}
