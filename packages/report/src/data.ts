import type { LayerDiagnostics, RunRecord, StepDiagnostics } from '@gradlab/core';
import { formatNumber, formatPercent, normKind } from '@gradlab/core';

export type MetricsRow = RunRecord['metrics'][number];

/** Layer names, input side first, as the run logged them. */
export function layerNames(record: RunRecord): string[] {
  const first = record.metrics[0] ?? record.manifest.result.final;
  return first ? first.layers.map((l) => l.name) : [];
}

/** The first, middle and last logged steps (fewer when the run logged fewer). */
export function pickSteps<T>(rows: readonly T[]): T[] {
  if (rows.length <= 3) return [...rows];
  return [rows[0], rows[Math.floor((rows.length - 1) / 2)], rows[rows.length - 1]] as T[];
}

export function fullSteps(record: RunRecord): MetricsRow[] {
  return record.metrics.filter((m) => m.full);
}

/** True for a value a log scale can draw. */
export function loggable(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}

/** The last (output) layer of a step. */
export function lastLayer(step: StepDiagnostics): LayerDiagnostics | undefined {
  return step.layers[step.layers.length - 1];
}

/** 12.3% for a fraction (core's `formatPercent`); '-' when not measured. One argument only. */
export const pct = (x: number | null | undefined): string => formatPercent(x);

/**
 * A measured norm: as `sci`, except that a positive norm below float32's normal range reads
 * `<1.2e-38` (it has lost precision) and 0 means every float32 entry was exactly 0.
 */
export function normText(x: number | null | undefined): string {
  return typeof x === 'number' && normKind(x) === 'subnormal' ? '<1.2e-38' : sci(x);
}

/** A number as every gradlab output prints it (core's `formatNumber`, 'auto'): 1e-9, 0.125, 12.3. */
export const sci = (x: number | null | undefined, digits = 3): string =>
  formatNumber(x, { digits });

/** A ratio as a power of ten: 10^-7 (or "0" / "-" where there is none). */
export function powerOfTen(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return 'infinitely many times';
  return `10^${Math.round(Math.log10(x))}`;
}

/** Per-step series are drawn with at most about this many points. */
export const MAX_SERIES_POINTS = 1000;

/**
 * Downsampling for drawing: with more than `max` rows, every k-th row (k = ceil(n / (max - 1)))
 * plus the last, so the first and last steps are always kept and at most `max` rows are drawn.
 * Fewer rows are returned as they are.
 */
export function everyKth<T>(rows: readonly T[], max = MAX_SERIES_POINTS): T[] {
  const n = rows.length;
  if (n <= max) return [...rows];
  const k = Math.ceil(n / Math.max(1, max - 1));
  const kept = rows.filter((_, i) => i % k === 0);
  if ((n - 1) % k !== 0) kept.push(rows[n - 1] as T);
  return kept;
}

/**
 * Downsampling a series whose spikes matter (the loss): with more than `max` points, the points
 * are split into max / 2 buckets of consecutive steps and each bucket keeps its minimum and its
 * maximum (in step order), so no spike or dip disappears; at most `max` points are drawn.
 */
export function minMaxBuckets<T>(
  points: readonly T[],
  value: (p: T) => number,
  max = MAX_SERIES_POINTS,
): T[] {
  const n = points.length;
  if (n <= max) return [...points];
  const buckets = Math.max(1, Math.floor(max / 2));
  const out: T[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (value(points[i] as T) < value(points[lo] as T)) lo = i;
      if (value(points[i] as T) > value(points[hi] as T)) hi = i;
    }
    if (to <= from) continue;
    out.push(points[Math.min(lo, hi)] as T);
    if (lo !== hi) out.push(points[Math.max(lo, hi)] as T);
  }
  return out;
}
