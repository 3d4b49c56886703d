import { describe, expect, test } from 'vitest';
import { formatNumber, formatPercent } from './number.js';

describe('formatNumber, special values', () => {
  test.each([
    [null, '-'],
    [undefined, '-'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [0, '0'],
    [-0, '0'],
  ])('%s -> %s in both notations', (x, text) => {
    expect(formatNumber(x)).toBe(text);
    expect(formatNumber(x, { notation: 'scientific' })).toBe(text);
    expect(formatNumber(x, { digits: 7 })).toBe(text);
  });
});

describe("formatNumber, 'auto'", () => {
  test.each([
    [0.5, '0.5'],
    [-0.5, '-0.5'],
    [12.345, '12.3'],
    [-12.345, '-12.3'],
    [1, '1'],
    [0.01, '0.01'],
    [0.0123456, '0.0123'],
    [9990, '9990'],
    [1234.5, '1230'],
    // below and above the plain range, trimmed exponent without "+" or leading zeros
    [0.00999, '9.99e-3'],
    [0.001, '1e-3'],
    [0.00123456, '1.23e-3'],
    [0.00001, '1e-5'],
    [-0.000012345, '-1.23e-5'],
    [12345, '1.23e4'],
    [-1e5, '-1e5'],
    [1e21, '1e21'],
    // subnormal float32 and float64 values
    [1e-40, '1e-40'],
    [-4.5e-40, '-4.5e-40'],
    [5e-324, '4.94e-324'],
    [Number.MAX_VALUE, '1.8e308'],
  ])('%s -> %s', (x, text) => expect(formatNumber(x)).toBe(text));

  test('the range is judged after rounding, so no value prints as 10000 or 0.00999x', () => {
    expect(formatNumber(9999.4)).toBe('1e4');
    expect(formatNumber(9999.5)).toBe('1e4');
    expect(formatNumber(-9999.5)).toBe('-1e4');
    expect(formatNumber(9994, { digits: 4 })).toBe('9994');
    expect(formatNumber(9999.5, { digits: 4 })).toBe('1e4');
    expect(formatNumber(9999.5, { digits: 5 })).toBe('9999.5');
    expect(formatNumber(0.0099996)).toBe('0.01');
    expect(formatNumber(-0.0099996)).toBe('-0.01');
    expect(formatNumber(0.0099949)).toBe('9.99e-3');
  });

  test('digits sets the significant digits on both sides of the range', () => {
    expect(formatNumber(Math.PI, { digits: 7 })).toBe('3.141593');
    expect(formatNumber(Math.PI * 1e-6, { digits: 7 })).toBe('3.141593e-6');
    expect(formatNumber(Math.PI, { digits: 1 })).toBe('3');
    expect(formatNumber(123456, { digits: 1 })).toBe('1e5');
    expect(formatNumber(0.1 + 0.2, { digits: 17 })).toBe('0.30000000000000004');
  });
});

describe("formatNumber, 'scientific'", () => {
  test.each([
    [1, '1.00e0'],
    [0.5, '5.00e-1'],
    [-0.5, '-5.00e-1'],
    [12345, '1.23e4'],
    [1e-40, '1.00e-40'],
    [9999.5, '1.00e4'],
    [0.00001, '1.00e-5'],
  ])('%s -> %s', (x, text) => expect(formatNumber(x, { notation: 'scientific' })).toBe(text));

  test('keeps exactly `digits` significant digits, so a column of mantissas has one width', () => {
    expect(formatNumber(2, { notation: 'scientific', digits: 5 })).toBe('2.0000e0');
    expect(formatNumber(2, { notation: 'scientific', digits: 1 })).toBe('2e0');
    const widths = [1.5e-7, 2.25e-3, 3e-1, 7.77e2].map(
      (x) => formatNumber(x, { notation: 'scientific' }).split('e')[0]?.length,
    );
    expect(new Set(widths)).toEqual(new Set([4]));
  });
});

test('digits outside 1..21 is refused', () => {
  for (const digits of [0, 22, 2.5, Number.NaN])
    expect(() => formatNumber(1, { digits })).toThrow(RangeError);
});

describe('formatPercent', () => {
  test.each([
    [0.1234, '12.3%'],
    [0.12345, '12.3%'],
    [1, '100.0%'],
    [0, '0.0%'],
    [-0.25, '-25.0%'],
    [1.5, '150.0%'],
    [0.0004, '0.0%'],
    // a negative share that rounds to zero has no sign
    [-0.0001, '0.0%'],
    [-0, '0.0%'],
  ])('%s -> %s (one decimal by default)', (x, text) => expect(formatPercent(x)).toBe(text));

  test.each([
    [null],
    [undefined],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [Number.NEGATIVE_INFINITY],
  ])("%s -> '-' (not a share)", (x) => {
    expect(formatPercent(x)).toBe('-');
    expect(formatPercent(x, { decimals: 0 })).toBe('-');
  });

  test('decimals', () => {
    expect(formatPercent(0.75, { decimals: 0 })).toBe('75%');
    expect(formatPercent(0.996, { decimals: 0 })).toBe('100%');
    expect(formatPercent(0.123456, { decimals: 3 })).toBe('12.346%');
    for (const decimals of [-1, 21, 0.5, Number.NaN])
      expect(() => formatPercent(0.5, { decimals })).toThrow(RangeError);
  });
});
