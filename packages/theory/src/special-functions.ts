/**
 * The error function and its complement in double precision, for the activations that need
 * them (GELU, erf). JavaScript has no Math.erf.
 *
 * Below |x| = 2.5 a series of positive terms, erf(x) = 2/sqrt(pi) exp(-x^2) sum_k 2^k x^(2k+1) /
 * (2k+1)!! (Abramowitz & Stegun 7.1.6), which has no cancellation; above, the continued fraction
 * of erfc (A&S 7.1.14), evaluated bottom-up with enough terms for full precision from 2.5 on.
 */
const SERIES_LIMIT = 2.5;
const FRACTION_TERMS = 90;
/** erfc(x) < 1e-320 beyond this: below the smallest double. */
const UNDERFLOW = 27.3;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let k = 1; k < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); k++) {
    term *= (2 * x2) / (2 * k + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x >= SERIES_LIMIT. */
function erfcFraction(x: number): number {
  if (x > UNDERFLOW) return 0;
  let f = 0;
  for (let k = FRACTION_TERMS; k >= 1; k--) f = k / 2 / (x + f);
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + f);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  const value = ax < SERIES_LIMIT ? erfSeries(ax) : 1 - erfcFraction(ax);
  return x < 0 ? -value : value;
}

/** 1 - erf(x), accurate relative to itself for large positive x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= SERIES_LIMIT) return erfcFraction(x);
  if (x <= -SERIES_LIMIT) return 2 - erfcFraction(-x);
  return 1 - erf(x);
}

/** The standard normal distribution function Phi(x) = P(z <= x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** The standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}
