import { z } from 'zod';
import { SweepSpec } from './schema.js';

/**
 * sweep.json, the index of a sweep directory: the sweep as it was given, its axes, and one
 * entry per cell. An entry claims a result (`run`, verdict, loss...) only once the cell's run
 * record is completely on disk; until then its figures are null.
 */
export const SWEEP_FILE_KIND = 'gradlab-sweep' as const;

const Verdict = z.enum(['healthy', 'vanishing', 'exploding', 'non-finite']);

/** pending: not run yet; running: in a worker now (or when the sweep was killed); done: its
 * run completed; failed: its run failed (`run` is its record) or its worker died (`run` null). */
export const CellStatus = z.enum(['pending', 'running', 'done', 'failed']);
export type CellStatus = z.infer<typeof CellStatus>;

const figure = z.number().nullable();

export const SweepEntry = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  params: z.record(z.string(), z.unknown()),
  status: CellStatus,
  /** The cell's run directory, relative to the sweep directory ("cells/<id>"), once written. */
  run: z.string().nullable(),
  /** The backend that ran it (what "auto" became). */
  backend: z.string().nullable(),
  verdict: Verdict.nullable(),
  worstVerdict: Verdict.nullable(),
  finalLoss: figure,
  accuracy: figure,
  steps: z.int().nullable(),
  seconds: figure,
  layers: z
    .array(
      z.object({
        name: z.string(),
        gradNorm: figure,
        ratioToLast: figure,
        verdict: Verdict,
      }),
    )
    .nullable(),
  signalRatio: figure,
  /** The first layer's gradient norm over the last's at the first full step (as initialised);
   * absent from sweeps written before it was kept. */
  initialGradientRatio: figure.default(null),
  error: z.string().nullable(),
  /** How many times a worker started this cell, over every run of the sweep. */
  attempts: z.int().min(0),
  finishedAt: z.string().nullable(),
});
export type SweepEntry = z.infer<typeof SweepEntry>;

export const SweepFile = z.object({
  gradlab: z.literal(1),
  kind: z.literal(SWEEP_FILE_KIND),
  name: z.string(),
  sweep: SweepSpec,
  /** Each swept dimension (dotted spec path, "mitigation", "seed", "backend") and its values. */
  axes: z.array(z.object({ name: z.string(), values: z.array(z.unknown()) })),
  createdAt: z.string(),
  updatedAt: z.string(),
  cells: z.array(SweepEntry),
});
export type SweepFile = z.infer<typeof SweepFile>;
