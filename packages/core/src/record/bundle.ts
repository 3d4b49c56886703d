import type { z } from 'zod';
import type { StepDiagnostics } from '../diagnostics/types.js';
import { GradlabError } from '../errors.js';
import { parseSpec } from '../spec/validate.js';
import {
  checkRecordVersion,
  invalidRecord,
  MetricsRowSchema,
  PretrainRowSchema,
  RunManifestSchema,
  recordJson,
} from './record-schema.js';
import type { RunManifest, RunRecord } from './types.js';

/**
 * A run record in one JSON file, for places without a file system to write a run directory to
 * (a browser page): the same contents as the directory's files, under their names. `spec` is
 * spec.json, `run` is run.json, `metrics` holds metrics.jsonl's lines in order and `pretraining`
 * pretrain.jsonl's. `readRunRecord` reads either form, so `gradlab report` renders both.
 */
export interface RunBundle {
  readonly gradlab: 1;
  readonly kind: typeof RUN_BUNDLE_KIND;
  readonly spec: RunRecord['spec'];
  readonly run: RunManifest;
  readonly metrics: readonly (StepDiagnostics & { ms: number })[];
  readonly pretraining: readonly { layer: string; step: number; loss: number }[];
}

export const RUN_BUNDLE_KIND = 'gradlab-run' as const;

/** The file-name ending of a bundle: `tiny.gradlab.json`. */
export const RUN_BUNDLE_EXTENSION = '.gradlab.json';

export function toRunBundle(record: RunRecord): RunBundle {
  return {
    gradlab: 1,
    kind: RUN_BUNDLE_KIND,
    spec: record.spec,
    run: record.manifest,
    metrics: record.metrics,
    pretraining: record.pretraining,
  };
}

function invalid(source: string, what: string, value: unknown): GradlabError {
  const shown = JSON.stringify(value);
  const got =
    shown === undefined ? String(value) : shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
  return new GradlabError(
    'INVALID_RECORD',
    `${source} is not a gradlab run bundle: ${what}; got ${got}. A bundle is the .gradlab.json file the playground exports.`,
  );
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

function checkRows(rows: readonly unknown[], schema: z.ZodType, source: string): void {
  rows.forEach((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw invalidRecord(`${source}[${i}]")`, parsed.error.issues[0]);
  });
}

/**
 * Reads a bundle's JSON text back into a run record. Checks the envelope, validates the spec
 * and checks the shape of every metrics line; a failure is GradlabError('INVALID_RECORD')
 * naming the field (or INVALID_SPEC for the spec itself).
 */
export function parseRunBundle(text: string, source = 'run bundle'): RunRecord {
  const raw = recordJson(
    text,
    source,
    'a run bundle is the .gradlab.json file the playground exports.',
  );
  if (!isObject(raw)) throw invalid(source, 'it must be a JSON object', raw);
  if (raw.kind !== RUN_BUNDLE_KIND)
    throw invalid(source, `"kind" must be "${RUN_BUNDLE_KIND}"`, raw.kind);
  checkRecordVersion(source, raw);
  if (raw.gradlab !== 1)
    throw invalid(source, '"gradlab" (the format version) must be 1', raw.gradlab);
  const spec = parseSpec(raw.spec, `${source} (its spec)`);
  const run = raw.run;
  if (!isObject(run) || !isObject(run.result) || typeof run.result.status !== 'string') {
    throw invalid(source, '"run" must be the run.json object, with "result.status"', run);
  }
  if (!isObject(run.backend) || typeof run.backend.name !== 'string') {
    throw invalid(source, '"run.backend" must name the backend', run.backend);
  }
  if (!Array.isArray(raw.metrics))
    throw invalid(source, '"metrics" must be an array of steps', raw.metrics);
  raw.metrics.forEach((m, i) => {
    if (!isObject(m) || typeof m.step !== 'number' || !Array.isArray(m.layers)) {
      throw invalid(
        source,
        `"metrics[${i}]" must be a step with a number "step" and a "layers" array`,
        m,
      );
    }
  });
  const pretraining = raw.pretraining ?? [];
  if (!Array.isArray(pretraining)) {
    throw invalid(source, '"pretraining" must be an array (or absent)', pretraining);
  }
  // The envelope is right: now the same checks as a run directory's files get.
  const manifest = RunManifestSchema.safeParse(run);
  if (!manifest.success) throw invalidRecord(`${source} ("run")`, manifest.error.issues[0]);
  checkRows(raw.metrics, MetricsRowSchema, `${source} ("metrics`);
  checkRows(pretraining, PretrainRowSchema, `${source} ("pretraining`);
  return {
    spec,
    manifest: run as unknown as RunManifest,
    metrics: raw.metrics as RunRecord['metrics'],
    pretraining: pretraining as RunRecord['pretraining'],
  };
}
