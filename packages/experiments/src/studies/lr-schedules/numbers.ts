import { formatNumber } from '../training-measures/format.js';

/** Three significant digits (exponents for tiny and huge values), or `digits` in between. */
export const fmt = (x: number, digits = 3): string =>
  Number.isFinite(x) && Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4
    ? String(Number(x.toPrecision(digits)))
    : formatNumber(x);

/** A number for verify.json, where NaN and Infinity have no spelling: null. */
export const finiteOrNull = (x: number | undefined): number | null =>
  x !== undefined && Number.isFinite(x) ? x : null;

/** "x12.3 the first", or what an overflow left. */
export const times = (x: number): string =>
  Number.isFinite(x) ? `x${fmt(x)} the first` : 'overflowed to NaN/Inf';
