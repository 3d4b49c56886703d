import { describe, expect, it } from 'vitest';
import { declareChecks } from '../define/define-study.js';
import { everyOfSome, finiteOrNull, judgedPerItem, valuesPerItem } from './check-values.js';

describe('check values', () => {
  it('keeps finite numbers and spells NaN, Infinity and missing as null', () => {
    expect(finiteOrNull(0.5)).toBe(0.5);
    expect(finiteOrNull(Number.NaN)).toBeNull();
    expect(finiteOrNull(Number.NEGATIVE_INFINITY)).toBeNull();
    expect(finiteOrNull(undefined)).toBeNull();
  });

  it('a verdict over no items fails rather than passing vacuously', () => {
    expect(everyOfSome([2, 3], (x) => x > 1)).toBe(true);
    expect(everyOfSome([2, 0], (x) => x > 1)).toBe(false);
    expect(everyOfSome([], () => true)).toBe(false);
  });

  it("names each item's values by the item, in the items' order", () => {
    const values = valuesPerItem(
      [1, 2],
      (seed) => `seed${seed}`,
      (seed) => ({ a: seed, b: null }),
    );
    expect(Object.entries(values)).toEqual([
      ['seed1.a', 1],
      ['seed1.b', null],
      ['seed2.a', 2],
      ['seed2.b', null],
    ]);
  });

  it('judges a declared check item by item', () => {
    const declared = declareChecks({ 'all-small': { claim: 'every value is small' } });
    const judge = (items: number[]) =>
      judgedPerItem(declared, 'all-small', items, {
        name: (x) => `x${x}`,
        passes: (x) => x < 3,
        describe: (x) => `x = ${x}`,
        expected: 'below 3',
        values: (x) => ({ value: x }),
      });
    expect(judge([1, 2])).toEqual({
      id: 'all-small',
      claim: 'every value is small',
      pass: true,
      measured: 'x = 1; x = 2',
      expected: 'below 3',
      values: { 'x1.value': 1, 'x2.value': 2 },
    });
    expect(judge([1, 5]).pass).toBe(false);
    expect(judge([]).pass).toBe(false);
  });
});
