import {
  type ExperimentSpec,
  type ExperimentSpecInput,
  GradlabError,
  isGradlabError,
  parseSpec,
  suggestField,
} from '@gradlab/core';
import { categories, type Mitigation, type MitigationCategory } from './mitigation.js';
import { activationStrategies } from './strategies/activations.js';
import { architectureStrategies } from './strategies/architecture.js';
import { clippingStrategies } from './strategies/clipping.js';
import { initStrategies } from './strategies/init.js';
import { learningRateStrategies } from './strategies/learning-rate.js';
import { optimiserStrategies } from './strategies/optimisers.js';
import { pretrainingStrategies } from './strategies/pretraining.js';
import { recurrentStrategies } from './strategies/recurrent.js';
import { regularisationStrategies } from './strategies/regularisation.js';

/** Every strategy, grouped by category in the order of `categories`. */
export const mitigations: readonly Mitigation[] = [
  ...activationStrategies,
  ...initStrategies,
  ...architectureStrategies,
  ...clippingStrategies,
  ...learningRateStrategies,
  ...optimiserStrategies,
  ...regularisationStrategies,
  ...pretrainingStrategies,
  ...recurrentStrategies,
].sort((a, b) => categories.indexOf(a.category) - categories.indexOf(b.category));

const byName = new Map(mitigations.map((m) => [m.name, m]));

export function listMitigations(category?: MitigationCategory): readonly Mitigation[] {
  return category ? mitigations.filter((m) => m.category === category) : mitigations;
}

export function findMitigation(name: string): Mitigation | undefined {
  return byName.get(name);
}

/** One strategy of a variant: `name:arg1:arg2`. */
export interface VariantToken {
  readonly token: string;
  readonly name: string;
  readonly args: readonly string[];
}

function unknownName(name: string, token: string): GradlabError {
  const known = mitigations.map((m) => m.name);
  // A typo ("rleu") by edit distance; a start ("clip") by the names that begin the same way.
  const typo = suggestField(name, known);
  const near = [
    ...new Set([
      ...(typo ? [typo] : []),
      ...(name.length < 2
        ? []
        : known.filter((k) => k.startsWith(name.slice(0, 3)) || name.startsWith(k))),
    ]),
  ].slice(0, 3);
  return new GradlabError(
    'INVALID_ARGUMENT',
    `unknown mitigation "${name}"${token !== name ? ` (in "${token}")` : ''}.${near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} Known mitigations: ${known.join(', ')}. \`gradlab mitigations\` lists them with their arguments.`,
  );
}

/**
 * Splits a variant ("relu+he-init+clip-global-norm:1") into its strategies: "+" joins
 * strategies, ":" separates a strategy's arguments. A "+" followed by a digit belongs to a
 * number ("lr:1e+0"). Every name must be known.
 */
export function parseVariant(variant: string | readonly string[]): VariantToken[] {
  const parts = typeof variant === 'string' ? variant.split(/\+(?!\d)/) : [...variant];
  const text = typeof variant === 'string' ? variant : variant.join('+');
  if (parts.every((p) => p.trim() === '')) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `empty variant: name one or more mitigations joined with "+", e.g. relu+he-init. Known mitigations: ${mitigations.map((m) => m.name).join(', ')}`,
    );
  }
  return parts.map((part) => {
    const token = part.trim();
    if (token === '') {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `variant ${JSON.stringify(text)} has an empty strategy: join names with a single "+", e.g. relu+he-init`,
      );
    }
    const [name = '', ...args] = token.split(':');
    if (!byName.has(name)) throw unknownName(name, token);
    return { token, name, args };
  });
}

/**
 * Applies a variant's strategies in order to a spec and returns the validated result, named
 * `${spec.name}+${variant}`. The input is never modified. An unknown name, a bad argument or a
 * strategy that does not apply to the spec (lstm on an MLP, batchnorm on an RNN) throws
 * GradlabError('INVALID_ARGUMENT') saying which strategy and why.
 */
export function applyMitigations(
  spec: ExperimentSpec | ExperimentSpecInput,
  variant: string | readonly string[],
): ExperimentSpec {
  const tokens = parseVariant(variant);
  let current = parseSpec(spec);
  const baseName = current.name;
  for (const { token, name, args } of tokens) {
    const m = findMitigation(name) as Mitigation;
    const next = m.apply(current, args);
    try {
      current = parseSpec(next, `the spec after ${token}`);
    } catch (e) {
      if (!isGradlabError(e)) throw e;
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `${token} cannot be applied to this spec: ${e.details.join('; ') || e.message}`,
        e.details,
      );
    }
  }
  const name = `${baseName}+${tokens.map((t) => t.token).join('+')}`;
  return parseSpec({ ...current, name: name.length > 200 ? `${name.slice(0, 197)}...` : name });
}
