import { formatNumber as format } from '@gradlab/core';

/**
 * Numbers as checks print them: core's `formatNumber` with its defaults (three significant
 * digits, 'auto'). One argument only, so `values.map(formatNumber)` stays safe.
 */
export const formatNumber = (x: number | null | undefined): string => format(x);

/** A fraction as a percentage with one decimal: 0.1234 -> "12.3%". */
export function formatPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return `${(100 * x).toFixed(1)}%`;
}
