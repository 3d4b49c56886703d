import { type ExperimentSpec, type ExperimentSpecInput, GradlabError } from '@gradlab/core';

export const categories = [
  'activation',
  'initialisation',
  'normalisation',
  'architecture',
  'gradient-clipping',
  'learning-rate',
  'optimiser',
  'regularisation',
  'pre-training',
  'recurrent-cell',
] as const;
export type MitigationCategory = (typeof categories)[number];

/** Which problem a strategy works against; 'neither' for a baseline listed to compare with. */
export type Addresses = 'vanishing' | 'exploding' | 'both' | 'neither';

/** One `:`-separated argument of a strategy's token. */
export interface MitigationParam {
  readonly name: string;
  readonly description: string;
  readonly type: 'number' | 'integer';
  /** Inclusive bounds, unless `exclusiveMin`. */
  readonly min?: number;
  readonly exclusiveMin?: boolean;
  readonly max?: number;
  /** Present: the argument may be left out and takes this value. */
  readonly default?: number;
  /** A typical value, for the documentation's example (default: the default). */
  readonly example?: number;
}

/**
 * A mitigation of vanishing or exploding gradients as a named, documented unit. `apply` is a
 * spec transform: it returns a NEW spec (the input is never modified), or throws
 * GradlabError('INVALID_ARGUMENT') saying why the strategy does not apply to this spec or what
 * is wrong with an argument.
 */
export interface Mitigation {
  /** The token's name, as in `relu` or `clip-global-norm`. */
  readonly name: string;
  readonly title: string;
  readonly category: MitigationCategory;
  readonly addresses: Addresses;
  /** The problem it is aimed at, in the terms of the gradient. */
  readonly problem: string;
  /** How it works. */
  readonly how: string;
  /** Where it fails, or what it costs. */
  readonly whenItDoesNotHelp: string;
  readonly citation: string;
  /** The token syntax: `name`, `name:arg` or `name[:arg]` for an optional argument. */
  readonly usage: string;
  /** The token with typical values for all its arguments, such as `leaky-relu:0.1`. */
  readonly example: string;
  readonly params: readonly MitigationParam[];
  /** The models it applies to, in words. */
  readonly appliesTo: string;
  /** The spec fields it sets. */
  readonly sets: string;
  /** Functions of this package that do the same in your own tfjs training loop. */
  readonly standalone: readonly string[];
  /** The equivalent in your own tfjs-layers model, where there is one. */
  readonly tfjs: string | null;
  apply(spec: ExperimentSpec, args: readonly string[]): ExperimentSpecInput;
}

export interface MitigationDefinition
  extends Omit<Mitigation, 'apply' | 'usage' | 'example' | 'params' | 'standalone' | 'tfjs'> {
  readonly params?: readonly MitigationParam[];
  readonly standalone?: readonly string[];
  readonly tfjs?: string | null;
  /**
   * Changes `draft`, a deep copy of the spec that belongs to the transform, for the parsed
   * argument values (defaults filled in). Throw `inapplicable(...)` when it does not apply.
   */
  transform(draft: ExperimentSpec, values: readonly number[]): void;
}

/** The error a transform throws when the strategy does not apply to the spec. */
export function inapplicable(name: string, why: string): GradlabError {
  return new GradlabError('INVALID_ARGUMENT', `${name} does not apply here: ${why}`);
}

/** "a number in [0, 1]", "an integer >= 1", "a number > 0". */
export function allowed(p: MitigationParam): string {
  const what = p.type === 'integer' ? 'an integer' : 'a number';
  const lo = p.min === undefined ? null : p.min;
  const hi = p.max === undefined ? null : p.max;
  if (lo !== null && hi !== null) return `${what} in ${p.exclusiveMin ? '(' : '['}${lo}, ${hi}]`;
  if (lo !== null) return `${what} ${p.exclusiveMin ? '>' : '>='} ${lo}`;
  if (hi !== null) return `${what} <= ${hi}`;
  return what;
}

export function usageOf(name: string, params: readonly MitigationParam[]): string {
  let s = name;
  let open = 0;
  for (const p of params) {
    if (p.default !== undefined) {
      s += `[:${p.name}`;
      open += 1;
    } else s += `:${p.name}`;
  }
  return s + ']'.repeat(open);
}

function parseArg(strategy: string, p: MitigationParam, raw: string): number {
  const text = raw.trim();
  const value = text === '' ? Number.NaN : Number(text);
  const ok =
    Number.isFinite(value) &&
    (p.type !== 'integer' || Number.isInteger(value)) &&
    (p.min === undefined || (p.exclusiveMin ? value > p.min : value >= p.min)) &&
    (p.max === undefined || value <= p.max);
  if (!ok) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${strategy}: ${p.name} must be ${allowed(p)} (${p.description}); got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/** Parses a strategy's raw `:` arguments against its parameters, filling in defaults. */
export function parseArgs(
  strategy: string,
  params: readonly MitigationParam[],
  args: readonly string[],
): number[] {
  const usage = usageOf(strategy, params);
  if (args.length > params.length) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${strategy} takes ${params.length === 0 ? 'no arguments' : `at most ${params.length} argument${params.length > 1 ? 's' : ''} (${usage})`}; got ${JSON.stringify([strategy, ...args].join(':'))}`,
    );
  }
  return params.map((p, i) => {
    const raw = args[i];
    if (raw !== undefined) return parseArg(strategy, p, raw);
    if (p.default !== undefined) return p.default;
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${strategy} needs ${p.name}, ${allowed(p)} (${p.description}): write ${usage.replace(/\[.*$/, '')}, e.g. ${exampleOf(strategy, params)}`,
    );
  });
}

/** The token with every argument spelled out: its example value, else its default. */
export function exampleOf(name: string, params: readonly MitigationParam[]): string {
  return [name, ...params.map((p) => String(p.example ?? p.default ?? p.min ?? 1))].join(':');
}

export function defineMitigation(d: MitigationDefinition): Mitigation {
  const params = d.params ?? [];
  const { transform, ...rest } = d;
  return {
    ...rest,
    params,
    usage: usageOf(d.name, params),
    example: exampleOf(d.name, params),
    standalone: d.standalone ?? [],
    tfjs: d.tfjs ?? null,
    apply(spec, args) {
      const values = parseArgs(d.name, params, args);
      const draft = structuredClone(spec);
      transform(draft, values);
      return draft;
    },
  };
}

// ---- Helpers for transforms ----

export type MlpModel = Extract<ExperimentSpec['model'], { kind: 'mlp' }>;
export type RecurrentModel = Exclude<ExperimentSpec['model'], { kind: 'mlp' }>;

export function requireMlp(name: string, spec: ExperimentSpec, why: string): MlpModel {
  if (spec.model.kind !== 'mlp') {
    throw inapplicable(name, `the model is a ${spec.model.kind}; ${why}`);
  }
  return spec.model;
}

export function requireRecurrent(name: string, spec: ExperimentSpec, why: string): RecurrentModel {
  if (spec.model.kind === 'mlp') throw inapplicable(name, `the model is an MLP; ${why}`);
  return spec.model;
}
