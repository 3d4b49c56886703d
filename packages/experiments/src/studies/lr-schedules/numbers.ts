import { formatNumber } from '@gradlab/core';

/** `digits` significant digits (default 3), as core's `formatNumber` prints them. */
export const fmt = (x: number, digits = 3): string => formatNumber(x, { digits });

/** "x12.3 the first", or what an overflow left. */
export const times = (x: number): string =>
  Number.isFinite(x) ? `x${fmt(x)} the first` : 'overflowed to NaN/Inf';
