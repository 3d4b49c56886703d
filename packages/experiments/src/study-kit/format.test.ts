import { describe, expect, it } from 'vitest';
import { formatNumber, formatPercent } from './format.js';

describe('formatNumber', () => {
  it('keeps three significant digits and switches to exponents for tiny and huge values', () => {
    expect(formatNumber(0.123456)).toBe('0.123');
    expect(formatNumber(-2.5)).toBe('-2.5');
    expect(formatNumber(4.35e-5)).toBe('4.35e-5');
    expect(formatNumber(123456)).toBe('1.23e5');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(null)).toBe('-');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });

  it('percentages', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(null)).toBe('-');
  });
});
