/** The bookkeeping checks share: their numbers for verify.json, and their verdict over items. */
import { judged } from '../define/define-study.js';
import type { CheckResult, DeclaredCheck } from '../study.js';

/** A number for verify.json, where NaN and Infinity have no spelling: null. */
export const finiteOrNull = (x: number | null | undefined): number | null =>
  x !== null && x !== undefined && Number.isFinite(x) ? x : null;

/**
 * Whether every item passes, and there is at least one: a check with nothing measured (no seed
 * run, no length trained) fails rather than passing vacuously.
 */
export const everyOfSome = <T>(items: readonly T[], passes: (item: T) => boolean): boolean =>
  items.length > 0 && items.every(passes);

/**
 * The values of several items (seeds, lengths, arms) in one record, each key under its item's
 * name: { "seed0.lossGrowth": 12, "seed1.lossGrowth": 9 }.
 */
export function valuesPerItem<T>(
  items: readonly T[],
  name: (item: T) => string,
  values: (item: T) => Readonly<Record<string, number | null>>,
): Record<string, number | null> {
  return Object.fromEntries(
    items.flatMap((item) =>
      Object.entries(values(item)).map(([key, value]) => [`${name(item)}.${key}`, value]),
    ),
  );
}

/** How a check judges and reports each of its items. */
export interface ItemJudgement<T> {
  /** The prefix of the item's values: "seed0". */
  readonly name: (item: T) => string;
  readonly passes: (item: T) => boolean;
  /** What was measured on the item, one clause of `measured`. */
  readonly describe: (item: T) => string;
  readonly values: (item: T) => Readonly<Record<string, number | null>>;
  readonly expected: string;
}

/**
 * The check `id` judged item by item (seed by seed, length by length): it passes when every
 * item does and there is one; `measured` describes the items in turn, `values` holds each one's.
 */
export function judgedPerItem<T>(
  declared: readonly DeclaredCheck[],
  id: string,
  items: readonly T[],
  judgement: ItemJudgement<T>,
): CheckResult {
  return judged(declared, id, {
    pass: everyOfSome(items, judgement.passes),
    measured: items.map(judgement.describe).join('; '),
    expected: judgement.expected,
    values: valuesPerItem(items, judgement.name, judgement.values),
  });
}
