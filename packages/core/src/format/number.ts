/**
 * The one number formatter (and its percent sibling, formatPercent): tables, charts, reports, check messages and test failures all print
 * numbers through it, so the same value reads the same everywhere. Browser-safe (no tfjs, no
 * Node imports).
 *
 * The conventions, for the whole project:
 *
 * - **Plain range**: `'auto'` writes a number plainly when its magnitude, rounded to `digits`
 *   significant digits, is in [0.01, 1e4): `0.0123`, `0.5`, `12.3`, `9990`; outside it, the
 *   exponent: `1.23e-3`, `1e-3`, `1.23e4`. Rounding happens first, so 9999.5 at three digits
 *   is `1e4`, and 0.0099996 is `0.01`. (A tolerance of 1e-3 thus reads `1e-3`, as the
 *   tolerances in sentences do.)
 * - **Exponent spelling**: mantissa, `e`, then the exponent with a sign only when negative and
 *   no leading zeros: `1.2e-5`, `3e5`, `-4.56e-40` (never `1.2e-05` or `3e+5`). `'auto'` trims
 *   trailing zeros from the mantissa (`1e-5`, like the plain numbers, which are trimmed too);
 *   `'scientific'` keeps exactly `digits` significant digits (`1.00e-5`), so a table column of
 *   norms has one width.
 * - **Special values**: `-` for null or undefined (not measured), `NaN`, `Infinity`,
 *   `-Infinity`, and `0` for zero (either sign; -0 is `0`).
 * - **Percentages** (`formatPercent`): a fraction times 100 with a fixed number of decimals
 *   (one by default) and `%`: `12.3%`; `-` for anything not a finite number.
 */

export type NumberNotation = 'auto' | 'scientific';

export interface NumberFormatOptions {
  /** Significant digits, an integer from 1 to 21. Default 3. */
  readonly digits?: number;
  /**
   * `'auto'` (default): plain in [0.01, 1e4) after rounding, exponent outside, trailing zeros
   * trimmed. `'scientific'`: always the exponent, with exactly `digits` significant digits.
   */
  readonly notation?: NumberNotation;
}

/** 'auto' writes a number plainly when its rounded magnitude is in [PLAIN_MIN, PLAIN_MAX). */
const PLAIN_MIN = 1e-2;
const PLAIN_MAX = 1e4;

/** `x.toExponential(fractionDigits)` in the project's exponent spelling, mantissa kept as is. */
function exponentForm(x: number, fractionDigits: number, trim: boolean): string {
  const [mantissa, exponent] = x.toExponential(fractionDigits).split('e') as [string, string];
  return `${trim ? String(Number(mantissa)) : mantissa}e${Number(exponent)}`;
}

/**
 * A number as gradlab prints it (conventions above).
 *
 *     formatNumber(0.000012345)                             // '1.23e-5'
 *     formatNumber(0.00123)                                 // '1.23e-3'
 *     formatNumber(0.0123)                                  // '0.0123'
 *     formatNumber(12345)                                   // '1.23e4'
 *     formatNumber(1e-40)                                   // '1e-40'
 *     formatNumber(0.5, { notation: 'scientific' })         // '5.00e-1'
 *     formatNumber(Math.PI, { digits: 7 })                  // '3.141593'
 *     formatNumber(null)                                    // '-'
 */
export function formatNumber(
  x: number | null | undefined,
  options: NumberFormatOptions = {},
): string {
  const { digits = 3, notation = 'auto' } = options;
  if (!Number.isInteger(digits) || digits < 1 || digits > 21)
    throw new RangeError(`formatNumber: digits must be an integer from 1 to 21, got ${digits}`);
  if (x === null || x === undefined) return '-';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return '0';
  if (notation === 'scientific') return exponentForm(x, digits - 1, false);
  const rounded = Number(x.toPrecision(digits));
  const a = Math.abs(rounded);
  // String() of a number in the plain range never uses an exponent (it does below 1e-6).
  if (a >= PLAIN_MIN && a < PLAIN_MAX) return String(rounded);
  return exponentForm(x, digits - 1, true);
}

export interface PercentFormatOptions {
  /** Decimals after the point, an integer from 0 to 20. Default 1. */
  readonly decimals?: number;
}

/**
 * A fraction as a percentage with a fixed number of decimals (conventions above). Not
 * measured, NaN and ±Infinity are `-` (a share that cannot be computed); a value that rounds
 * to zero has no sign.
 *
 *     formatPercent(0.1234)                    // '12.3%'
 *     formatPercent(1)                         // '100.0%'
 *     formatPercent(0.75, { decimals: 0 })     // '75%'
 *     formatPercent(-0.00001)                  // '0.0%'
 *     formatPercent(Number.NaN)                // '-'
 */
export function formatPercent(
  x: number | null | undefined,
  options: PercentFormatOptions = {},
): string {
  const { decimals = 1 } = options;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20)
    throw new RangeError(
      `formatPercent: decimals must be an integer from 0 to 20, got ${decimals}`,
    );
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  const text = (100 * x).toFixed(decimals);
  return `${Number(text) === 0 ? text.replace('-', '') : text}%`;
}
