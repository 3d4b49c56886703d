import {
  assertNotTooDeep,
  describeIssues,
  ExperimentSpec,
  GradlabError,
  parseJsonText,
  strictFields,
} from '@gradlab/core';
import { z } from 'zod';

/**
 * The sweep file, version 1: a grid of experiments as data. A base spec (a preset's name or a
 * spec), spec fields to vary by dotted path, named mitigations, seeds and backends; every
 * combination is one cell (expand.ts). Field descriptions double as the editor documentation of
 * `gradlab schema --sweep`.
 */
export const SWEEP_VERSION = 1 as const;

const Values = z
  .array(z.unknown())
  .min(1, 'an empty list of values makes no cells: give at least one value')
  .describe('The values this field takes, each a value the experiment spec accepts there.');

/** Spec fields by dotted path ("model.depth") and the values to give them. */
const Overrides = z.record(z.string(), z.unknown());

// Strict, so a misspelt field ("seds") is an error; free text goes in `description`.
export const SweepSpec = strictFields(
  {
    $schema: z.string().optional(),
    gradlab: z.literal(SWEEP_VERSION).describe('Sweep format version.'),
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
        'expected up to 100 letters, digits, ".", "_" or "-", starting with a letter or digit (it names the default directory runs/sweep-<name>)',
      )
      .describe('Names the sweep and its default directory, runs/sweep-<name>.'),
    description: z.string().max(10_000).optional(),
    base: z
      .union([z.string().min(1), ExperimentSpec], {
        error: 'expected a preset name (see `gradlab presets`) or an experiment spec object',
      })
      .describe('The experiment every cell starts from: a preset name such as "tiny", or a spec.'),
    grid: z
      .record(z.string(), Values)
      .default({})
      .describe(
        'Spec fields to vary, by dotted path, each with its values: {"model.depth": [10, 20, 40], "model.init": ["xavier-normal", "he-normal"]}. Every combination is a cell.',
      ),
    mitigations: z
      .array(z.string().min(1))
      .min(1, 'give at least one mitigation ("none" is the base itself)')
      .default(['none'])
      .describe(
        'Mitigations to cross with the grid, as `gradlab compare --with` names them ("batchnorm", "relu+he-init", "clip-norm:1"); "none" is the base as it is.',
      ),
    seeds: z
      .array(
        z
          .int()
          .min(0)
          .max(2 ** 32 - 1),
      )
      .min(1, 'give at least one seed, or leave "seeds" out to keep the base spec\'s seed')
      .optional()
      .describe("Seeds to cross with the grid; absent: the base spec's seed."),
    backends: z
      .array(z.string().min(1))
      .min(1, 'give at least one backend, or leave "backends" out for "auto"')
      .default(['auto'])
      .describe(
        'Compute backends to cross with the grid (cpu, wasm, blas, webgpu, ...); "auto" is the best one where the cell runs.',
      ),
    variants: z
      .array(Overrides)
      .default([])
      .describe(
        'Extra points beside the grid, each a set of spec fields by dotted path ({"model.depth": 80, "model.init": "orthogonal"}), crossed with the mitigations, seeds and backends like every grid point.',
      ),
  },
  'description',
).superRefine((sweep, ctx) => {
  const varies =
    Object.keys(sweep.grid).length > 0 ||
    sweep.variants.length > 0 ||
    sweep.mitigations.length > 1 ||
    (sweep.seeds?.length ?? 0) > 1 ||
    sweep.backends.length > 1;
  if (!varies) {
    ctx.addIssue({
      code: 'custom',
      path: ['grid'],
      input: sweep.grid,
      message:
        'is empty and nothing else varies: name spec fields by dotted path with their values, e.g. {"model.depth": [4, 8]}, or give several mitigations, seeds, backends or variants',
    });
  }
  if ('seed' in sweep.grid && sweep.seeds) {
    ctx.addIssue({
      code: 'custom',
      path: ['grid', 'seed'],
      input: sweep.grid.seed,
      message: 'the seed is swept twice: give "seeds" or grid["seed"], not both',
    });
  }
});

/** A validated sweep, defaults filled in. */
export type SweepSpec = z.infer<typeof SweepSpec>;
/** What a user may write. */
export type SweepSpecInput = z.input<typeof SweepSpec>;

/** JSON Schema of the sweep file as a user writes it (`gradlab schema --sweep`). */
export function sweepJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(SweepSpec, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://gradlab.dev/schema/sweep-1.json',
    title: 'gradlab sweep, version 1',
  };
}

/**
 * Dotted paths are record keys: show `grid["model.depth"][2]`, not `grid.model.depth[2]`,
 * which reads as nested fields.
 */
function withKeysQuoted(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  const [head, ...rest] = issue.path;
  if (head === 'grid' && typeof rest[0] === 'string') {
    return { ...issue, path: [`grid[${JSON.stringify(rest[0])}]`, ...rest.slice(1)] };
  }
  if (head === 'variants' && typeof rest[0] === 'number' && typeof rest[1] === 'string') {
    return {
      ...issue,
      path: [`variants[${rest[0]}][${JSON.stringify(rest[1])}]`, ...rest.slice(2)],
    };
  }
  return issue;
}

export function invalidSweep(source: string, details: readonly string[]): GradlabError {
  const shown =
    details.length > 12
      ? [...details.slice(0, 12), `... and ${details.length - 12} more`]
      : details;
  return new GradlabError(
    'INVALID_SWEEP',
    `${source} is not a valid gradlab sweep:\n  ${shown.join('\n  ')}\nSee the JSON Schema (\`gradlab schema --sweep\`) and docs/sweeps.md.`,
    details,
  );
}

/** Validates a sweep; INVALID_SWEEP lists every rejected field with its value. */
export function parseSweep(input: unknown, source = 'sweep'): SweepSpec {
  assertNotTooDeep(input, source, 'INVALID_SWEEP', 'sweep');
  const result = SweepSpec.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw invalidSweep(
    source,
    describeIssues(new z.ZodError(result.error.issues.map(withKeysQuoted))),
  );
}

/**
 * Parses JSON text (a leading byte-order mark allowed), then the sweep; malformed JSON is
 * reported with the source's name.
 */
export function parseSweepJson(text: string, source = 'sweep'): SweepSpec {
  const raw = parseJsonText(
    text,
    source,
    'INVALID_SWEEP',
    'A sweep is a JSON object such as {"gradlab": 1, "name": "depth", "base": "tiny", "grid": {"model.depth": [4, 8]}}.',
  );
  return parseSweep(raw, source);
}
