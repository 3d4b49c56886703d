import { type ExperimentSpec, GradlabError, parseSpec } from '@gradlab/core';

/** A deep copy of a spec as plain JSON, for a field to change before it is validated again. */
export type Draft = { [key: string]: unknown };

export interface FieldOption {
  readonly value: string;
  readonly label: string;
}

/**
 * One control of the experiment form. `get` reads the control's value from a validated spec;
 * `set` writes a value into a draft, which `applyField` validates again. Fields that do not
 * apply to a spec (depth for a recurrent net) are hidden.
 */
export interface SpecField {
  /** The spec path it edits, or a name for a derived control ("model.initScale"). */
  readonly id: string;
  readonly label: string;
  readonly section: 'data' | 'model' | 'training' | 'run';
  readonly input: 'number' | 'select' | 'text';
  /** For number inputs: the smallest step ("1" for integers, "any" otherwise). */
  readonly step?: '1' | 'any';
  readonly help?: string;
  options?(spec: ExperimentSpec): readonly FieldOption[];
  applies(spec: ExperimentSpec): boolean;
  get(spec: ExperimentSpec): string;
  set(draft: Draft, value: string): void;
}

export function child(draft: Draft, key: string): Draft {
  const value = draft[key];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Draft;
  const fresh: Draft = {};
  draft[key] = fresh;
  return fresh;
}

/** The object at a dotted path ("training.optimizer"), created where missing. */
export function at(draft: Draft, path: string): Draft {
  return path.split('.').reduce(child, draft);
}

/** A number typed into the form: a clear error for text that is no number. */
export function toNumber(label: string, value: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) {
    throw new GradlabError('INVALID_ARGUMENT', `${label}: expected a number; got "${value}"`);
  }
  return n;
}

/** Shows a number as the form's input holds it. */
export const show = (x: number | undefined | null): string =>
  x === undefined || x === null ? '' : String(x);

/**
 * The spec with one field changed, validated: GradlabError INVALID_ARGUMENT (text that is no
 * number) or INVALID_SPEC (a value out of range), whose message names the field and the value.
 */
export function applyField(spec: ExperimentSpec, field: SpecField, value: string): ExperimentSpec {
  const draft = structuredClone(spec) as unknown as Draft;
  field.set(draft, value);
  return parseSpec(draft, `${field.label} = "${value}"`);
}
