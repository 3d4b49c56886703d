import { z } from 'zod';
import { GradlabError } from '../errors.js';

/**
 * What a reader checks of a run record (run.json, metrics.jsonl, pretrain.jsonl, or the same
 * in a bundle) before a report draws it: the fields the renderers rely on, with their types.
 * Objects are loose, so a record with a field added later within format version 1 still
 * reads; the version itself is checked first, so a newer format gets its own message.
 */
export const RECORD_FORMAT_VERSION = 1;

/** JSON turns NaN and Infinity into null, and a run that blows up has them. */
const measurement = z.number().nullable();
const verdict = z.enum(['healthy', 'vanishing', 'exploding', 'non-finite']);

const LayerSchema = z.looseObject({ name: z.string(), gradNorm: measurement, verdict });

const StepSchema = z.looseObject({
  step: z.number().int().nonnegative(),
  loss: measurement,
  layers: z.array(LayerSchema),
  verdict,
});

export const RunManifestSchema = z.looseObject({
  gradlab: z.literal(RECORD_FORMAT_VERSION),
  status: z.enum(['complete', 'cancelled', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string(),
  environment: z.looseObject({}),
  backend: z.looseObject({ name: z.string(), device: z.string() }),
  result: z.looseObject({
    status: z.enum(['complete', 'cancelled', 'failed']),
    stepsCompleted: z.number().int().nonnegative(),
    final: StepSchema.nullable(),
    verdict,
    worstVerdict: verdict,
    firstProblems: z.array(z.looseObject({ step: z.number(), layer: z.string() })),
    loss: z.looseObject({ first: measurement, last: measurement }),
  }),
});

/** A line of metrics.jsonl: a full step has layers; `ms` is the step's time. */
export const MetricsRowSchema = z.looseObject({
  step: z.number().int().nonnegative(),
  loss: measurement,
  ms: measurement,
  layers: z.array(LayerSchema),
});

export const PretrainRowSchema = z.looseObject({
  layer: z.string(),
  step: z.number().int().nonnegative(),
  loss: measurement,
});

/** `source`'s INVALID_RECORD for a value `schema` refuses: the first problem, by its field. */
export function invalidRecord(source: string, issue: z.core.$ZodIssue | undefined): GradlabError {
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return new GradlabError(
    'INVALID_RECORD',
    `${source} is not a gradlab run record: ${where}${issue?.message ?? 'invalid'}. It was edited or damaged; gradlab writes it whole.`,
  );
}

/**
 * Refuses a record of another format version before its fields are checked: a newer gradlab
 * wrote it, and what this one would say about its fields would mislead.
 */
export function checkRecordVersion(source: string, raw: unknown): void {
  const version = (raw as { gradlab?: unknown } | null)?.gradlab;
  if (typeof version === 'number' && version > RECORD_FORMAT_VERSION) {
    throw new GradlabError(
      'INVALID_RECORD',
      `${source} is in record format version ${version}, from a newer gradlab; this one reads version ${RECORD_FORMAT_VERSION}. Upgrade gradlab to read it.`,
    );
  }
}

/** JSON text's value, or INVALID_RECORD naming `source`, the parser's complaint and `hint`. */
export function recordJson(
  text: string,
  source: string,
  hint = 'the file is truncated or corrupt.',
): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new GradlabError(
      'INVALID_RECORD',
      `${source} is not valid JSON (${(e as Error).message}): ${hint}`,
    );
  }
}

/** Parses JSON text and checks it against `schema`, or throws INVALID_RECORD naming `source` and the problem. */
export function parseRecordJson<T>(schema: z.ZodType<T>, text: string, source: string): T {
  const raw = recordJson(text, source);
  checkRecordVersion(source, raw);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalidRecord(source, parsed.error.issues[0]);
  // The value as read, not zod's copy (which puts the known keys first): a record read and
  // written again (a bundle, a directory) stays byte for byte the same.
  return raw as T;
}
