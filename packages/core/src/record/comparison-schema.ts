import { z } from 'zod';
import { GradlabError } from '../errors.js';
import { recordJson } from './record-schema.js';

/**
 * What a reader checks of a comparison.json (`gradlab compare --with` or `--backends`) before a
 * report draws it: the fields the comparison page relies on, with their types. Objects are
 * loose and fields that earlier version-1 files lack are optional, so every comparison.json
 * gradlab has written still reads; the version and the kind are checked first, each with its
 * own message, as for run records (record-schema.ts).
 */
export const COMPARISON_FORMAT_VERSION = 1;

/** The two kinds, and the command that writes each: what a message about `kind` lists. */
export const COMPARISON_KINDS = {
  comparison: 'gradlab compare --with',
  'backend-comparison': 'gradlab compare --backends',
} as const;

/** JSON turns NaN and Infinity into null. */
const measurement = z.number().nullable();
const byBackend = z.record(z.string(), measurement);
const backendInfo = z.looseObject({ name: z.string().optional(), device: z.string().optional() });
const runStatus = z.enum(['complete', 'cancelled', 'failed']);

const MitigationRowSchema = z.looseObject({
  variant: z.string(),
  record: z.string(),
  ratioFirstToLast: z.looseObject({ start: measurement, end: measurement }).optional(),
  verdict: z.string().optional(),
  worstVerdict: z.string().optional(),
  finalLoss: measurement.optional(),
  accuracy: measurement.optional(),
  seconds: z.number().optional(),
  status: runStatus.optional(),
});

export const MitigationComparisonSchema = z.looseObject({
  gradlab: z.literal(COMPARISON_FORMAT_VERSION),
  kind: z.literal('comparison'),
  status: z.enum(['complete', 'cancelled']).optional(),
  baseline: z.string().optional(),
  backend: backendInfo.optional(),
  rows: z.array(MitigationRowSchema),
});

const BackendEntrySchema = z.looseObject({
  backend: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  info: backendInfo.optional(),
  record: z.string().optional(),
  verdict: z.string().nullable().optional(),
  msPerStep: measurement.optional(),
  step1: z
    .looseObject({
      maxRelDiff: measurement,
      worstLayer: z.string().nullable().optional(),
      loss: measurement.optional(),
    })
    .nullable()
    .optional(),
  drift: z
    .looseObject({
      steps: z.number().int().nonnegative(),
      tolerance: z.number(),
      lossMaxRelDiff: measurement,
      gradNormMaxRelDiff: measurement,
      firstDivergence: z.union([
        z.literal('never'),
        z.looseObject({ step: z.number().int(), quantity: z.string(), relDiff: z.number() }),
      ]),
    })
    .nullable()
    .optional(),
  lossMaxRelDiff: measurement.optional(),
});

export const BackendComparisonSchema = z.looseObject({
  gradlab: z.literal(COMPARISON_FORMAT_VERSION),
  kind: z.literal('backend-comparison'),
  status: z.enum(['complete', 'cancelled']).optional(),
  spec: z.string().optional(),
  reference: z.string().nullable().optional(),
  tolerance: z.number().positive().optional(),
  backends: z.array(BackendEntrySchema),
  layers: z.array(
    z.looseObject({
      layer: z.string(),
      maxRelDiff: byBackend,
      step1RelDiff: byBackend.optional(),
      step1GradNorm: byBackend.optional(),
      finalGradNorm: byBackend.optional(),
    }),
  ),
});

export type MitigationComparison = z.infer<typeof MitigationComparisonSchema>;
export type BackendComparison = z.infer<typeof BackendComparisonSchema>;

/** A value quoted in a message: its JSON, cut short (a damaged file may hold anything). */
const shown = (v: unknown): string => {
  const json = v === undefined ? 'missing' : (JSON.stringify(v) ?? String(v));
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
};

const invalid = (source: string, problem: string) =>
  new GradlabError(
    'INVALID_RECORD',
    `${source} is not a gradlab comparison: ${problem}. It was edited or damaged; gradlab writes it whole (rerun the comparison to get it back).`,
  );

/**
 * Parses comparison.json's text and checks it, or throws INVALID_RECORD naming `source` and the
 * problem: not JSON (truncated, corrupt), a newer format version, an unknown kind, or the first
 * field of the wrong type, by its path. Returns the value as read (not zod's reordered copy).
 */
export function parseComparisonJson(
  text: string,
  source: string,
): MitigationComparison | BackendComparison {
  const raw = recordJson(text, source);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid(
      source,
      `the file holds ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`}, not an object`,
    );
  }
  const { gradlab: version, kind } = raw as { gradlab?: unknown; kind?: unknown };
  if (typeof version === 'number' && version > COMPARISON_FORMAT_VERSION) {
    throw new GradlabError(
      'INVALID_RECORD',
      `${source} is in comparison format version ${version}, from a newer gradlab; this one reads version ${COMPARISON_FORMAT_VERSION}. Upgrade gradlab to read it.`,
    );
  }
  if (version !== COMPARISON_FORMAT_VERSION) {
    throw invalid(
      source,
      `gradlab: ${shown(version)}; expected the format version ${COMPARISON_FORMAT_VERSION}`,
    );
  }
  const known = Object.entries(COMPARISON_KINDS).map(([k, by]) => `"${k}" (${by})`);
  if (typeof kind !== 'string' || !Object.hasOwn(COMPARISON_KINDS, kind)) {
    throw invalid(source, `kind: ${shown(kind)}; expected ${known.join(' or ')}`);
  }
  const schema = kind === 'comparison' ? MitigationComparisonSchema : BackendComparisonSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw invalid(source, `${where}${issue?.message ?? 'invalid'}`);
  }
  return raw as MitigationComparison | BackendComparison;
}
