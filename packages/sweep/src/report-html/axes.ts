import { GradlabError } from '@gradlab/core';
import { canonicalJson } from '../ids.js';
import type { SweepFile } from '../sweep-file.js';

/** The axis a report aggregates over instead of drawing: seeds are repetitions, not settings. */
export const SEED_AXIS = 'seed';

/** One swept dimension as a report draws it: its values in drawing order. */
export interface ReportAxis {
  readonly name: string;
  readonly values: readonly unknown[];
  /** Every value is a finite number: drawn in ascending order, and overlays can be placed. */
  readonly numeric: boolean;
}

/** The key of a value: equal values (42 and 42, {a:1} and {a:1}) have equal keys. */
export const valueKey = (v: unknown): string => (v === undefined ? '-' : canonicalJson(v));

/** A value as a label: strings bare, anything else as JSON. */
export const valueLabel = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined ? '-' : JSON.stringify(v);

/**
 * The sweep's axes, seeds left out, each with every value that its axis lists or an entry
 * holds (so no entry falls off the grid), numeric ones in ascending order.
 */
export function reportAxes(file: SweepFile): ReportAxis[] {
  return file.axes
    .filter((a) => a.name !== SEED_AXIS)
    .map((a) => {
      const values = new Map(a.values.map((v) => [valueKey(v), v]));
      for (const e of file.cells) {
        const v = e.params[a.name];
        if (!values.has(valueKey(v))) values.set(valueKey(v), v);
      }
      const all = [...values.values()];
      const numeric = all.every((v) => typeof v === 'number' && Number.isFinite(v));
      return {
        name: a.name,
        values: numeric ? (all as number[]).sort((p, q) => p - q) : all,
        numeric,
      };
    });
}

export interface AxisChoice {
  /** Horizontal axis; null when nothing varies (the report is then a table alone). */
  readonly x: ReportAxis | null;
  /** Vertical axis; null for a one-row heatmap. */
  readonly y: ReportAxis | null;
  /** The other varying axes: one heatmap per combination of their values. */
  readonly facets: readonly ReportAxis[];
}

function pick(axes: readonly ReportAxis[], name: string, option: 'x' | 'y'): ReportAxis {
  const axis = axes.find((a) => a.name === name);
  if (axis) return axis;
  throw new GradlabError(
    'INVALID_ARGUMENT',
    `unknown ${option} axis "${name}": the axes of this sweep are ${axes.map((a) => a.name).join(', ')}` +
      (name === SEED_AXIS ? ' (seeds are aggregated, never drawn as an axis).' : '.'),
  );
}

/**
 * The heatmap's axes: those asked for, else the varying axes with the most values (ties in
 * sweep.json's order); every other varying axis becomes a facet. Seeds are aggregated.
 */
export function chooseAxes(
  file: SweepFile,
  wanted: { readonly x?: string | undefined; readonly y?: string | undefined } = {},
): AxisChoice {
  const axes = reportAxes(file);
  const x = wanted.x === undefined ? undefined : pick(axes, wanted.x, 'x');
  const y = wanted.y === undefined ? undefined : pick(axes, wanted.y, 'y');
  if (x && y && x.name === y.name) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `x and y are the same axis, "${x.name}": choose two different axes.`,
    );
  }
  const varying = axes
    .filter((a) => a.values.length > 1)
    .sort((p, q) => q.values.length - p.values.length);
  const free = varying.filter((a) => a !== x && a !== y);
  const chosenX = x ?? free.shift() ?? null;
  const chosenY = y ?? free.shift() ?? null;
  return {
    x: chosenX,
    y: chosenY,
    facets: varying.filter((a) => a !== chosenX && a !== chosenY),
  };
}

/** Every axis name a caller may choose for x or y. */
export const axisNames = (file: SweepFile): string[] => reportAxes(file).map((a) => a.name);
