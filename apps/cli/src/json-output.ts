import type { BackendInfo, RunResult } from '@gradlab/core';
import { z } from 'zod';

/**
 * The JSON that `gradlab run --json` prints: { record, backend, result }. Every object is
 * strict, so a field added to or renamed in RunResult, StepDiagnostics, LayerDiagnostics or
 * BackendInfo without this schema fails the CLI tests. Nullable fields are nullable as in the
 * TypeScript types (JSON itself turns a non-finite number into null).
 */
/**
 * A measured value. JSON has no NaN or Infinity: JSON.stringify writes them as null, and a
 * run that blows up has them (its loss, its norms), so every measurement may be null here.
 */
const measurement = z.number().nullable();

export const VerdictSchema = z.enum(['healthy', 'vanishing', 'exploding', 'non-finite']);

export const LayerDiagnosticsSchema = z.strictObject({
  name: z.string(),
  gradNorm: measurement,
  biasGradNorm: z.number().nullable(),
  weightNorm: z.number().nullable(),
  gradToWeight: z.number().nullable(),
  ratioToLast: measurement,
  updateToWeight: z.number().nullable(),
  activationMean: z.number().nullable(),
  activationStd: z.number().nullable(),
  saturation: z.number().nullable(),
  deadFraction: z.number().nullable(),
  nonFinite: z.number().int().nonnegative(),
  verdict: VerdictSchema,
});

export const SignalProfileSchema = z.strictObject({
  labels: z.array(z.string()),
  norms: z.array(measurement),
  ratioFirstToLast: measurement,
  verdict: VerdictSchema,
});

export const EvidenceSourceSchema = z.enum([
  'weight-gradient',
  'backward-signal',
  'forward-activations',
  'grad-to-weight',
  'dead-units',
  'saturation',
  'loss',
]);

export const EvidenceSchema = z.strictObject({
  verdict: z.enum(['vanishing', 'exploding', 'non-finite']),
  source: EvidenceSourceSchema,
  layer: z.string().nullable(),
  value: measurement,
  summary: z.string(),
});

export const StepDiagnosticsSchema = z.strictObject({
  step: z.number().int().nonnegative(),
  full: z.boolean(),
  loss: measurement,
  accuracy: z.number().nullable(),
  globalGradNorm: measurement,
  layers: z.array(LayerDiagnosticsSchema),
  signal: SignalProfileSchema.nullable(),
  telemetry: z.record(z.string(), measurement),
  verdict: VerdictSchema,
  evidence: z.array(EvidenceSchema),
});

export const FirstProblemSchema = z.strictObject({
  verdict: z.enum(['vanishing', 'exploding', 'non-finite']),
  step: z.number().int().nonnegative(),
  layer: z.string(),
  source: EvidenceSourceSchema.optional(),
  summary: z.string().optional(),
});

export const PretrainedLayerSchema = z.strictObject({
  layer: z.string(),
  firstLoss: measurement,
  lastLoss: measurement,
  steps: z.number().int().nonnegative(),
});

export const RunResultSchema = z.strictObject({
  status: z.enum(['complete', 'cancelled', 'failed']),
  stepsCompleted: z.number().int().nonnegative(),
  backend: z.string(),
  final: StepDiagnosticsSchema.nullable(),
  verdict: VerdictSchema,
  worstVerdict: VerdictSchema,
  firstProblems: z.array(FirstProblemSchema),
  loss: z.strictObject({ first: z.number().nullable(), last: z.number().nullable() }),
  evaluation: z
    .strictObject({
      loss: measurement,
      accuracy: z.number().nullable(),
      samples: z.number().int().nonnegative(),
      /** Predict-the-mean MSE, in closed form for the generator (adding problem: 1/6). */
      baseline: z.number().nullable(),
    })
    .nullable(),
  pretraining: z.array(PretrainedLayerSchema),
  timings: z.strictObject({
    setupMs: measurement,
    totalMs: measurement,
    medianStepMs: z.number().nullable(),
  }),
  error: z.string().optional(),
});

export const BackendInfoSchema = z.strictObject({
  name: z.string(),
  tfjsBackend: z.string(),
  device: z.string(),
  floatPrecision: z.union([z.literal(16), z.literal(32)]),
  epsilon: z.number(),
  capabilities: z.strictObject({ syncReadback: z.boolean(), multithreaded: z.boolean() }),
  versions: z.record(z.string(), z.string()),
});

export const RunJsonOutputSchema = z.strictObject({
  /** The run directory that was written. */
  record: z.string(),
  backend: BackendInfoSchema,
  result: RunResultSchema,
});

export type RunJsonOutput = z.infer<typeof RunJsonOutputSchema>;

/** A value after JSON.stringify: numbers may have become null (NaN, Infinity). */
type JsonOf<T> = T extends number
  ? number | null
  : T extends readonly (infer U)[]
    ? JsonOf<U>[]
    : T extends object
      ? { [K in keyof T]: JsonOf<T[K]> }
      : T;

// Compile-time: what the schema accepts is a RunResult (as JSON writes it) and a BackendInfo.
const _result = (r: z.infer<typeof RunResultSchema>): JsonOf<RunResult> => r;
const _backend = (b: z.infer<typeof BackendInfoSchema>): BackendInfo => b;
void _result;
void _backend;

/** JSON Schema of `gradlab run --json` output, for other tools. */
export function runOutputJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(RunJsonOutputSchema, { io: 'output' }),
    $id: 'https://gradlab.dev/schema/run-output-1.json',
    title: 'gradlab run --json output, version 1',
  };
}
