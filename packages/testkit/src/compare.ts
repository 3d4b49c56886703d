import { type BackendInfo, formatNumber } from '@gradlab/core';

/**
 * The default relative tolerance against the oracle, from the float type a backend computes in
 * (its `BackendInfo.floatPrecision`):
 *
 * | floatPrecision | epsilon          | tolerance | about          |
 * |----------------|------------------|-----------|----------------|
 * | 32             | 2^-23 (1.19e-7)  | 1e-4      | 840 epsilon    |
 * | 16             | 2^-10 (9.77e-4)  | 5e-2      | 51 epsilon     |
 *
 * Differences grow with the length of every sum (a dot product of a few hundred terms, a
 * reduction over the batch) and with every training step, whose update feeds the next: the
 * kit's tensors are tiny and its runs a few steps long, so a correct fp32 backend stays two
 * orders of magnitude below 1e-4 (wasm against cpu: about 5e-6). fp16 keeps 11 significant
 * bits, so its bound is as wide as a useful check allows. A run compares two backends, so the
 * tolerance is that of the less precise of the two.
 */
export function toleranceFor(info: Pick<BackendInfo, 'floatPrecision'>): number {
  return info.floatPrecision === 16 ? 5e-2 : 1e-4;
}

/** Machine epsilon of each float type a backend may declare. */
export const EPSILON_OF: Readonly<Record<16 | 32, number>> = { 16: 2 ** -10, 32: 2 ** -23 };

/**
 * A quantity that is mathematically zero (the gradient of a bias followed by BatchNorm) comes
 * out of every backend as rounding noise, which no relative tolerance can compare. Such values
 * pass when both sides are below ZERO_FLOOR * tolerance * a reference scale (the step's global
 * gradient norm, or the largest norm of the profile): 1e-6 of the global norm in fp32.
 */
export const ZERO_FLOOR = 1e-2;

/** |a - b| relative to the larger magnitude; 0 when both are 0, Infinity if either is not finite. */
export function relDiff(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b))
    return Object.is(a, b) ? 0 : Number.POSITIVE_INFINITY;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

export interface ArrayDiff {
  /** Largest |actual - expected| over the largest |expected| (absolute when that is 0). */
  readonly diff: number;
  /** Index of the largest difference, -1 for empty arrays. */
  readonly index: number;
  readonly scale: number;
}

/**
 * Compares two arrays elementwise, relative to the largest magnitude of the expected one (a
 * gradient's small entries are judged at the scale of the whole tensor, as a norm would be).
 * A non-finite entry on either side that is not the same on the other is an infinite diff.
 */
export function maxRelDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): ArrayDiff {
  if (actual.length !== expected.length) {
    return { diff: Number.POSITIVE_INFINITY, index: -1, scale: 0 };
  }
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    if (Number.isFinite(e)) scale = Math.max(scale, Math.abs(e));
  }
  let worst = 0;
  let index = expected.length ? 0 : -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    let d: number;
    if (!Number.isFinite(a) || !Number.isFinite(e))
      d = Object.is(a, e) ? 0 : Number.POSITIVE_INFINITY;
    else d = Math.abs(a - e) / (scale === 0 ? 1 : scale);
    if (d > worst) {
      worst = d;
      index = i;
    }
  }
  return { diff: worst, index, scale };
}

/** A number in failure messages: core's `formatNumber` with seven significant digits. */
export const fmt = (x: number | null | undefined): string => formatNumber(x, { digits: 7 });

/**
 * Collects the disagreements of one comparison, so a failing test lists them all (up to a
 * limit) instead of stopping at the first, and knows the worst relative difference.
 */
export class Mismatches {
  private readonly found: string[] = [];
  private count = 0;
  worst = 0;

  constructor(
    readonly tolerance: number,
    readonly labels: { readonly expected: string; readonly actual: string },
  ) {}

  add(message: string): void {
    this.count++;
    if (this.found.length < 12) this.found.push(message);
  }

  /**
   * Compares a scalar of the backend (`actual`) with the oracle's (`expected`). With
   * `zeroScale`, values both under ZERO_FLOOR * tolerance * zeroScale count as equal zeros.
   */
  scalar(what: string, expected: number | null, actual: number | null, zeroScale?: number): void {
    if (expected === null || actual === null) {
      if (expected !== actual) {
        this.add(
          `${what}: ${this.labels.expected} ${fmt(expected)}, ${this.labels.actual} ${fmt(actual)}`,
        );
      }
      return;
    }
    if (!Number.isFinite(expected)) {
      this.add(
        `${what}: the ${this.labels.expected} oracle gives ${expected}; the test input is wrong`,
      );
      return;
    }
    if (zeroScale !== undefined) {
      const floor = ZERO_FLOOR * this.tolerance * zeroScale;
      if (Math.abs(expected) <= floor && Math.abs(actual) <= floor) return;
    }
    const d = relDiff(expected, actual);
    this.worst = Math.max(this.worst, d);
    if (!(d <= this.tolerance)) {
      this.add(
        `${what}: ${this.labels.expected} ${fmt(expected)}, ${this.labels.actual} ${fmt(actual)} (relative difference ${fmt(d)} > ${fmt(this.tolerance)})`,
      );
    }
  }

  /** Compares a whole tensor's values, relative to the largest magnitude of the oracle's. */
  array(what: string, expected: ArrayLike<number>, actual: ArrayLike<number>): void {
    if (expected.length !== actual.length) {
      this.add(
        `${what}: ${expected.length} values on ${this.labels.expected}, ${actual.length} on ${this.labels.actual}`,
      );
      return;
    }
    for (let i = 0; i < expected.length; i++) {
      if (!Number.isFinite(expected[i] as number)) {
        this.add(
          `${what}: the ${this.labels.expected} oracle gives ${expected[i]} at [${i}]; the test input is wrong`,
        );
        return;
      }
    }
    const { diff, index, scale } = maxRelDiff(actual, expected);
    this.worst = Math.max(this.worst, diff);
    if (!(diff <= this.tolerance)) {
      this.add(
        `${what}: at [${index}] ${this.labels.expected} ${fmt(expected[index])}, ${this.labels.actual} ${fmt(actual[index])}: difference ${fmt(diff)} of the largest magnitude ${fmt(scale)} > ${fmt(this.tolerance)}`,
      );
    }
  }

  /**
   * Throws one error listing every disagreement found, if any. With GRADLAB_TESTKIT_VERBOSE=1
   * in the environment, prints the worst relative difference of a passing comparison too.
   */
  check(context: string): void {
    if (this.count === 0) {
      const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
        ?.env;
      if (env?.GRADLAB_TESTKIT_VERBOSE) {
        console.info(
          `[@gradlab/testkit] ${context}: ${this.labels.actual} vs ${this.labels.expected}, worst relative difference ${fmt(this.worst)} (tolerance ${fmt(this.tolerance)})`,
        );
      }
      return;
    }
    const more =
      this.count > this.found.length ? `\n  ... and ${this.count - this.found.length} more` : '';
    throw new Error(
      `${context}: ${this.count} value(s) disagree beyond the relative tolerance ${fmt(this.tolerance)}:\n  ${this.found.join('\n  ')}${more}`,
    );
  }
}
