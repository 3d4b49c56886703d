import { GradlabError } from '@gradlab/core';

type Key<S> = keyof S & string;

/**
 * How a study refuses its own settings, in one wording: the study, the field, the value as JSON
 * and why ("rosenbrock setting step is -1; expected a finite number > 0"). A counterfactual with
 * a typo then fails before anything runs, naming what to fix.
 */
export interface SettingRules<S> {
  /** Refuses `field`; `reason` follows the value ("expected ...", "it must be ..."). */
  fail(field: string, value: unknown, reason: string): never;
  /** Refuses `field` unless `ok`, as "expected <allowed>". */
  expect(field: string, value: unknown, ok: boolean, allowed: string): void;
  /** Each setting named must be an integer >= 1. */
  positiveIntegers(...keys: Key<S>[]): void;
  /** Each setting named must be a number > 0 (NaN is not). */
  positive(...keys: Key<S>[]): void;
  /** Each setting named must be a finite number > 0. */
  positiveFinite(...keys: Key<S>[]): void;
}

export const isPositiveInteger = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 1;

export function settingRules<S>(study: string, s: S): SettingRules<S> {
  const fail = (field: string, value: unknown, reason: string): never => {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${study} setting ${field} is ${JSON.stringify(value)}; ${reason}`,
    );
  };
  const expect = (field: string, value: unknown, ok: boolean, allowed: string) => {
    if (!ok) fail(field, value, `expected ${allowed}`);
  };
  const each = (keys: Key<S>[], ok: (x: number) => boolean, allowed: string) => {
    for (const key of keys) expect(key, s[key], ok(s[key] as number), allowed);
  };
  return {
    fail,
    expect,
    positiveIntegers: (...keys) => each(keys, isPositiveInteger, 'a positive integer'),
    positive: (...keys) => each(keys, (x) => x > 0, 'a number > 0'),
    positiveFinite: (...keys) =>
      each(keys, (x) => x > 0 && Number.isFinite(x), 'a finite number > 0'),
  };
}
