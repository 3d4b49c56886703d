import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { StepDiagnostics } from '../diagnostics/types.js';
import type { ExperimentSpec } from '../spec/schema.js';
import { parseSpec } from '../spec/validate.js';
import type { RunResult } from '../train/events.js';
import type { PretrainedLayer } from '../train/pretrain.js';
import { medianStepMs, problemTracker } from '../train/problem-tracker.js';
import { writeFileAtomic } from './atomic.js';
import type { PartialRun } from './partials.js';
import {
  MetricsRowSchema,
  PretrainRowSchema,
  parseRecordJson,
  RunManifestSchema,
} from './record-schema.js';
import type { MetricsRow, PretrainRow } from './rows.js';
import { publishStaging } from './staging.js';
import { dropStagingOwner } from './staging-owner.js';
import type { RunManifest } from './types.js';

/** What a rebuilt run.json cannot know: only the run's process had it. */
export const RECOVERY_MISSING = [
  'result.evaluation (the trained network is gone)',
  'result.timings.setupMs and the time outside the steps in result.timings.totalMs',
] as const;

/**
 * How a partial run can be completed: `publish` when run.json is there (the process died
 * between writing it and the rename), `rebuild` when every step of the spec is in
 * metrics.jsonl (the run finished; only run.json failed), `none` otherwise (the reason says
 * what is missing).
 */
export type Recovery =
  | { readonly kind: 'publish' }
  | { readonly kind: 'rebuild'; readonly manifest: RunManifest }
  | { readonly kind: 'none'; readonly why: string };

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}

/**
 * The rows of a JSON Lines file, each checked as the readers check it (a bad row throws,
 * naming its line); a last line cut short by a kill is left out.
 */
async function readRows<T>(path: string, schema: z.ZodType<T>): Promise<T[]> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
  // The last piece is either empty (the file ends with a newline) or a row cut short.
  return text
    .split('\n')
    .slice(0, -1)
    .map((l, i) => [l, i] as const)
    .filter(([l]) => l.trim() !== '')
    .map(([l, i]) => parseRecordJson(schema, l, `${path} line ${i + 1}`));
}

function pretrainingSummary(rows: readonly PretrainRow[]): PretrainedLayer[] {
  const layers = new Map<string, PretrainRow[]>();
  for (const r of rows) layers.set(r.layer, [...(layers.get(r.layer) ?? []), r]);
  return [...layers].map(([layer, rs]) => ({
    layer,
    firstLoss: (rs[0] as PretrainRow).loss,
    lastLoss: (rs[rs.length - 1] as PretrainRow).loss,
    steps: rs.length,
  }));
}

/** Works out whether and how a partial run can be completed; reads only. */
export async function planRecovery(partial: PartialRun): Promise<Recovery> {
  const { path, owner } = partial;
  try {
    // Published only as a record the readers accept: anything less is rebuilt or left alone.
    parseRecordJson(RunManifestSchema, await readFile(join(path, 'run.json'), 'utf8'), 'run.json');
    return { kind: 'publish' };
  } catch {} // none, or cut short: rebuild it if the metrics allow
  if (!owner?.backend || !owner.environment) {
    return { kind: 'none', why: 'it does not record its backend (written by an older gradlab)' };
  }
  let spec: ExperimentSpec;
  let rows: MetricsRow[];
  let pretrainRows: PretrainRow[];
  try {
    spec = parseSpec(await readJson(join(path, 'spec.json')), join(path, 'spec.json'));
    rows = (await readRows(
      join(path, 'metrics.jsonl'),
      MetricsRowSchema,
    )) as unknown as MetricsRow[];
    pretrainRows = (await readRows(
      join(path, 'pretrain.jsonl'),
      PretrainRowSchema,
    )) as PretrainRow[];
  } catch (e) {
    return { kind: 'none', why: `its files cannot be read (${(e as Error).message})` };
  }
  const steps = spec.training?.steps;
  const last = rows[rows.length - 1];
  // Every step in order, the last one a full-diagnostic step (as a run's last step always is).
  if (rows.length !== steps || rows.some((r, i) => r.step !== i + 1) || !last?.full) {
    return { kind: 'none', why: `its metrics stop at step ${last?.step ?? 0} of ${steps}` };
  }
  const problems = problemTracker();
  let final: StepDiagnostics | null = null;
  for (const r of rows) {
    const { ms: _, ...d } = r;
    if (typeof d.verdict !== 'string') {
      if (!Number.isFinite(d.loss)) problems.nonFinite();
      continue;
    }
    if (d.full) final = d;
    problems.note(d);
  }
  const stepTimes = rows.map((r) => r.ms);
  const result: RunResult = {
    status: 'complete',
    stepsCompleted: rows.length,
    backend: owner.backend.name,
    final,
    verdict: final?.verdict ?? problems.worst,
    worstVerdict: problems.worst,
    firstProblems: problems.firstProblems,
    loss: { first: rows[0]?.loss ?? null, last: last.loss },
    evaluation: null,
    pretraining: pretrainingSummary(pretrainRows),
    timings: {
      setupMs: 0,
      totalMs: stepTimes.reduce((a, b) => a + b, 0),
      medianStepMs: medianStepMs(stepTimes),
    },
  };
  const finishedAt = (await stat(join(path, 'metrics.jsonl'))).mtime.toISOString();
  return {
    kind: 'rebuild',
    manifest: {
      gradlab: 1,
      status: 'complete',
      startedAt: owner.startedAt,
      finishedAt,
      environment: owner.environment,
      backend: owner.backend,
      result,
      recovered: { at: new Date().toISOString(), missing: [...RECOVERY_MISSING] },
    },
  };
}

/**
 * Completes a partial run as planned (run.json rebuilt if need be, then renamed into place,
 * RECORD_EXISTS if its run directory has appeared meanwhile). Returns the run directory.
 */
export async function finishPartialRun(partial: PartialRun, plan: Recovery): Promise<string> {
  if (plan.kind === 'none') throw new Error(`cannot finish ${partial.path}: ${plan.why}`);
  if (plan.kind === 'rebuild') {
    const text = `${JSON.stringify(plan.manifest, null, 2)}\n`;
    await writeFileAtomic(join(partial.path, 'run.json'), text);
  }
  await publishStaging(partial.path, partial.target, partial.target);
  await dropStagingOwner(partial.target);
  return partial.target;
}
