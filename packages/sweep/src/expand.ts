import {
  budgetProblem,
  type ExperimentSpec,
  type ExperimentSpecInput,
  isGradlabError,
  type MemoryLimit,
  parseSpec,
} from '@gradlab/core';
import { memoryLimit } from '@gradlab/core/node';
import { applyMitigations, parseVariant } from '@gradlab/mitigations';
import { closest, distance } from 'fastest-levenshtein';
import { canonicalJson, cellId } from './ids.js';
import { getPath, hasPath, setPath, splitPath } from './paths.js';
import { invalidSweep, type SweepSpec } from './schema.js';

/** One experiment of a sweep. */
export interface Cell {
  /** cellId(spec, backend): the same experiment has the same id in any sweep. */
  readonly id: string;
  /**
   * What sets this cell apart: each swept spec field by dotted path (grid or variant), then
   * "mitigation", "seed" and "backend".
   */
  readonly params: Readonly<Record<string, unknown>>;
  /** The fully resolved spec the cell runs, validated, defaults filled in. */
  readonly spec: ExperimentSpec;
  /** A backend name as `useBackend` takes it ("auto" picks where the cell runs). */
  readonly backend: string;
}

export interface ExpandOptions {
  /** Experiment specs by preset name, for a sweep whose base is a name. */
  readonly presets: Readonly<Record<string, ExperimentSpecInput>>;
  /** What each cell's estimated memory must fit; default: GRADLAB_MAX_MEMORY or the machine's. */
  readonly memoryLimit?: MemoryLimit;
}

/** How many problems one error lists before it stops looking: enough to fix them in one go. */
const MAX_ERRORS = 20;

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

function resolveBase(sweep: SweepSpec, o: ExpandOptions): ExperimentSpec {
  if (typeof sweep.base !== 'string') return sweep.base;
  const preset = Object.hasOwn(o.presets, sweep.base) ? o.presets[sweep.base] : undefined;
  if (!preset) {
    throw new Error(
      `base: there is no preset ${show(sweep.base)}; known presets: ${Object.keys(o.presets).join(', ')} (or give a spec object)`,
    );
  }
  return parseSpec(preset, `preset ${show(sweep.base)}`);
}

/** The spec with `fields` (dotted path -> value) set, validated; or what is wrong with it. */
function withFields(
  base: ExperimentSpec,
  fields: Readonly<Record<string, unknown>>,
): { spec: ExperimentSpec } | { problem: string } {
  const draft = structuredClone(base) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(fields)) {
    const set = setPath(draft, splitPath(path) as string[], value);
    if (!set.ok)
      return { problem: `not accepted: ${set.at} is ${show(set.found)}, which has no fields` };
  }
  try {
    return { spec: parseSpec(draft) };
  } catch (e) {
    if (!isGradlabError(e)) throw e;
    return { problem: `not accepted: ${e.details.join('; ') || e.message}` };
  }
}

/**
 * The spec is strict, so a path through a field it does not have comes back as an unknown-field
 * line about the first segment the base lacks ("model: unknown field "dpeth" ..."): that is a
 * bad path, not a bad value.
 */
function isUnknownField(
  base: ExperimentSpec,
  problem: string,
  segments: readonly string[],
): boolean {
  const i = segments.findIndex((_, k) => !hasPath(base, segments.slice(0, k + 1)));
  if (i < 0) return false;
  const parent = segments.slice(0, i).join('.') || '(spec)';
  return problem.includes(`${parent}: unknown field ${JSON.stringify(segments[i])} `);
}

/** Why a path the spec does not keep is unknown: which segment, what is there instead. */
function unknownPath(spec: ExperimentSpec, segments: readonly string[]): string {
  const i = segments.findIndex((_, k) => !hasPath(spec, segments.slice(0, k + 1)));
  const parentPath = segments.slice(0, i).join('.');
  const parent = getPath(spec, segments.slice(0, i)) as Record<string, unknown>;
  const fields = Object.keys(parent);
  const typed = segments[i] as string;
  const guess = fields.length > 0 ? closest(typed, fields) : undefined;
  // A suggestion only for what looks like a typo of a real field.
  const near = guess && distance(typed, guess) <= Math.max(2, typed.length / 3) ? guess : null;
  const where = parentPath === '' ? 'the spec' : parentPath;
  const full = (k: string) => (parentPath === '' ? k : `${parentPath}.${k}`);
  return `no such field in the spec: ${where} has ${fields.map(full).join(', ')}${near ? `. Did you mean "${full(near)}"?` : ''}`;
}

/**
 * Checks one field's values on the base alone, so that a bad path or value is named by itself
 * rather than in every cell it would have made.
 */
function checkField(
  base: ExperimentSpec,
  path: string,
  values: readonly unknown[],
  label: (i: number) => string,
  errors: string[],
): void {
  const segments = splitPath(path);
  if (!segments) {
    errors.push(
      `${label(0).replace(/\[\d+\]$/, '')}: ${show(path)} is not a dotted path of spec fields, such as "model.depth" or "training.optimizer.lr"`,
    );
    return;
  }
  for (const [i, value] of values.entries()) {
    const r = withFields(base, { [path]: value });
    if ('problem' in r && isUnknownField(base, r.problem, segments)) {
      errors.push(`${label(i).replace(/\[\d+\]$/, '')}: ${unknownPath(base, segments)}`);
      return;
    }
    if ('problem' in r) {
      errors.push(`${label(i)}: ${show(value)} is ${r.problem}`);
    } else if (!hasPath(r.spec, segments)) {
      errors.push(`${label(i).replace(/\[\d+\]$/, '')}: ${unknownPath(r.spec, segments)}`);
      return;
    }
  }
}

/** Every combination of the grid's values, first path slowest. */
function gridPoints(grid: SweepSpec['grid']): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [path, values] of Object.entries(grid)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  }
  return points;
}

/**
 * Every cell of a sweep, in order: grid points (first path slowest), then variants; within
 * each, mitigations, then seeds, then backends. Each cell's spec is resolved and validated
 * here, so a sweep that expands runs nothing it would reject later. Cells that come out the
 * same (same spec and backend, so the same id) are kept once. Throws INVALID_SWEEP naming each
 * bad path, value or mitigation with what was wrong (up to 20 of them).
 */
export function expandSweep(sweep: SweepSpec, o: ExpandOptions, source = 'sweep'): Cell[] {
  let base: ExperimentSpec;
  try {
    base = resolveBase(sweep, o);
  } catch (e) {
    throw invalidSweep(source, [e instanceof Error ? e.message : String(e)]);
  }
  const errors: string[] = [];
  const quote = (path: string) => JSON.stringify(path);
  for (const [path, values] of Object.entries(sweep.grid)) {
    checkField(base, path, values, (i) => `grid[${quote(path)}][${i}]`, errors);
  }
  for (const [v, variant] of sweep.variants.entries()) {
    for (const [path, value] of Object.entries(variant)) {
      checkField(base, path, [value], () => `variants[${v}][${quote(path)}]`, errors);
    }
  }
  for (const [i, m] of sweep.mitigations.entries()) {
    if (m === 'none') continue;
    try {
      parseVariant(m);
    } catch (e) {
      if (!isGradlabError(e)) throw e;
      errors.push(`mitigations[${i}]: ${e.message}`);
    }
  }
  if (errors.length > 0) throw invalidSweep(source, errors);

  const limit = o.memoryLimit ?? memoryLimit();
  const cells: Cell[] = [];
  const seen = new Set<string>();
  // A mitigation that does not apply is named once, at the first cell it fails on.
  const refused = new Set<number>();
  const points = [...gridPoints(sweep.grid), ...sweep.variants];
  for (const point of points) {
    for (const [i, mitigation] of sweep.mitigations.entries()) {
      for (const seed of sweep.seeds ?? [null]) {
        if (errors.length >= MAX_ERRORS) throw invalidSweep(source, errors);
        const fields = seed === null ? point : { ...point, seed };
        const r = withFields(base, fields);
        if ('problem' in r) {
          errors.push(`the cell ${show(fields)}: its spec is ${r.problem}`);
          continue;
        }
        let spec = r.spec;
        if (mitigation !== 'none') {
          if (refused.has(i)) continue;
          try {
            spec = applyMitigations(spec, mitigation);
          } catch (e) {
            if (!isGradlabError(e)) throw e;
            refused.add(i);
            errors.push(`mitigations[${i}] on the cell ${show(fields)}: ${e.message}`);
            continue;
          }
        }
        // A cell too big for the machine fails the sweep's checks, not its worker, hours in.
        const overBudget = budgetProblem(spec, limit);
        if (overBudget !== null) {
          const params = mitigation === 'none' ? fields : { ...fields, mitigation };
          errors.push(`the cell ${show(params)} ${overBudget}`);
          continue;
        }
        for (const backend of sweep.backends) {
          const id = cellId(spec, backend);
          if (seen.has(id)) continue;
          seen.add(id);
          cells.push({
            id,
            params: { ...point, mitigation, seed: spec.seed, backend },
            spec,
            backend,
          });
        }
      }
    }
  }
  if (errors.length > 0) throw invalidSweep(source, errors);
  return cells;
}

/** A swept dimension and its values, in the order the cells take them. */
export interface SweepAxis {
  readonly name: string;
  readonly values: readonly unknown[];
}

/** The sweep's axes, read off its cells: every params key with its distinct values. */
export function sweepAxes(cells: readonly Cell[]): SweepAxis[] {
  const axes = new Map<string, Map<string, unknown>>();
  for (const cell of cells) {
    for (const [name, value] of Object.entries(cell.params)) {
      const values = axes.get(name) ?? new Map<string, unknown>();
      values.set(canonicalJson(value), value);
      axes.set(name, values);
    }
  }
  return [...axes].map(([name, values]) => ({ name, values: [...values.values()] }));
}
