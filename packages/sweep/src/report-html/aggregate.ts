import { type Verdict, worstVerdict } from '@gradlab/core';
import type { SweepEntry } from '../sweep-file.js';
import { type ReportAxis, SEED_AXIS, valueKey } from './axes.js';
import type { NumericMeasure } from './measures.js';

/** Entries that differ only in their seed: one heatmap cell, one row of the seeds table. */
export interface SeedGroup {
  /** The group's values of every axis but the seed, by axis name. */
  readonly params: Readonly<Record<string, unknown>>;
  /** In seed order (then sweep.json's): the first is the one the heatmap cell links to. */
  readonly entries: readonly SweepEntry[];
}

const seedOf = (e: SweepEntry): number => {
  const s = e.params[SEED_AXIS];
  return typeof s === 'number' ? s : Number.POSITIVE_INFINITY;
};

/** The entries grouped by every axis but the seed, in sweep.json's order of first appearance. */
export function groupBySeed(
  entries: readonly SweepEntry[],
  axes: readonly ReportAxis[],
): SeedGroup[] {
  const groups = new Map<string, { params: Record<string, unknown>; entries: SweepEntry[] }>();
  for (const e of entries) {
    const params = Object.fromEntries(axes.map((a) => [a.name, e.params[a.name]]));
    const key = axes.map((a) => valueKey(params[a.name])).join('\u0000');
    const group = groups.get(key) ?? { params, entries: [] };
    group.entries.push(e);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({
    params: g.params,
    // A stable sort keeps sweep.json's order among entries without a numeric seed.
    entries: [...g.entries].sort((p, q) => seedOf(p) - seedOf(q)),
  }));
}

/**
 * A group's figure for a numeric measure, over the seeds that finished: the mean and the
 * spread (min and max) of the finite ones. A NaN or Infinity in any seed makes the whole group
 * non-finite (one exploding seed is the finding); without a finished seed there is no result.
 */
export type GroupFigure =
  | {
      readonly kind: 'finite';
      readonly mean: number;
      readonly min: number;
      readonly max: number;
      readonly seeds: number;
    }
  | { readonly kind: 'non-finite'; readonly nonFinite: number; readonly seeds: number }
  | { readonly kind: 'not measured' }
  | NoResult;

/** No finished seed: why, from the entries' statuses ("failed", "pending", "running"). */
export interface NoResult {
  readonly kind: 'no result';
  readonly status: 'failed' | 'pending';
}

function noResult(entries: readonly SweepEntry[]): NoResult | null {
  if (entries.some((e) => e.status === 'done')) return null;
  // A failure is the finding; pending and running cells are the same to a reader: not yet.
  return {
    kind: 'no result',
    status: entries.some((e) => e.status === 'failed') ? 'failed' : 'pending',
  };
}

export function groupFigure(group: SeedGroup, measure: NumericMeasure): GroupFigure {
  const none = noResult(group.entries);
  if (none) return none;
  const figures = group.entries.filter((e) => e.status === 'done').map(measure.figure);
  const nonFinite = figures.filter((f) => f.kind === 'non-finite').length;
  if (nonFinite > 0) return { kind: 'non-finite', nonFinite, seeds: figures.length };
  const values = figures.flatMap((f) => (f.kind === 'finite' ? [f.value] : []));
  if (values.length === 0) return { kind: 'not measured' };
  return {
    kind: 'finite',
    mean: values.reduce((s, v) => s + v, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
    seeds: values.length,
  };
}

/** A group's verdict: the worst over its finished seeds (one vanishing seed is the finding). */
export type GroupVerdict =
  | { readonly kind: 'verdict'; readonly verdict: Verdict; readonly verdicts: readonly Verdict[] }
  | NoResult;

export function groupVerdict(group: SeedGroup): GroupVerdict {
  const none = noResult(group.entries);
  if (none) return none;
  const verdicts = group.entries.flatMap((e) =>
    e.status === 'done' && e.verdict ? [e.verdict] : [],
  );
  return { kind: 'verdict', verdict: worstVerdict(verdicts), verdicts };
}
