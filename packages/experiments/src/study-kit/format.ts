import { formatNumber as format, formatPercent as percent } from '@gradlab/core';

/**
 * Numbers as checks print them: core's `formatNumber` with its defaults (three significant
 * digits, 'auto'). One argument only, so `values.map(formatNumber)` stays safe.
 */
export const formatNumber = (x: number | null | undefined): string => format(x);

/** A fraction as a percentage with one decimal (core's `formatPercent`): 0.1234 -> "12.3%". */
export const formatPercent = (x: number | null | undefined): string => percent(x);
