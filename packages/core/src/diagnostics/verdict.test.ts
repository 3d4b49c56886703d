import { describe, expect, test } from 'vitest';
import type { Thresholds } from '../spec/schema.js';
import { worstVerdict } from './types.js';
import { DEFAULT_THRESHOLDS, judgeNorm } from './verdict.js';

const t: Thresholds = {
  vanishingRatio: 1e-3,
  explodingRatio: 1e3,
  vanishingNorm: 1e-8,
  explodingNorm: 1e3,
  vanishingGradToWeight: 1e-7,
  explodingGradToWeight: 1e3,
  deadFraction: 0.5,
  saturatedFraction: 0.5,
};

describe('judgeNorm', () => {
  test('healthy between the thresholds', () => {
    expect(judgeNorm(1, 1, 0, t)).toBe('healthy');
    expect(judgeNorm(0.5, 100, 0, t)).toBe('healthy');
    // Exactly on a threshold is not past it.
    expect(judgeNorm(1e-3, 1, 0, t)).toBe('healthy');
    expect(judgeNorm(1e3, 1, 0, t)).toBe('healthy');
  });

  test('NaN/Inf entries or a non-finite norm are non-finite, before anything else', () => {
    expect(judgeNorm(1, 1, 3, t)).toBe('non-finite');
    expect(judgeNorm(Number.NaN, 1, 0, t)).toBe('non-finite');
    expect(judgeNorm(Number.POSITIVE_INFINITY, 1, 0, t)).toBe('non-finite');
    expect(judgeNorm(1e-20, 1, 1, t)).toBe('non-finite');
  });

  test('exploding by ratio to the reference', () => {
    expect(judgeNorm(2, 1e-3, 0, t)).toBe('exploding');
  });

  test('exploding by absolute norm, whatever the reference', () => {
    expect(judgeNorm(2e3, 1e3, 0, t)).toBe('exploding');
  });

  test('vanishing by ratio to the reference', () => {
    expect(judgeNorm(1e-4, 1, 0, t)).toBe('vanishing');
  });

  test('vanishing by absolute norm, whatever the reference', () => {
    expect(judgeNorm(1e-9, 1e-9, 0, t)).toBe('vanishing');
    expect(judgeNorm(0, 0, 0, t)).toBe('vanishing');
  });

  test('a zero reference: a positive norm is infinitely larger', () => {
    expect(judgeNorm(1, 0, 0, t)).toBe('exploding');
  });

  test('follows the thresholds it is given', () => {
    const strict: Thresholds = { ...t, vanishingRatio: 0.5, explodingRatio: 2 };
    expect(judgeNorm(0.4, 1, 0, strict)).toBe('vanishing');
    expect(judgeNorm(3, 1, 0, strict)).toBe('exploding');
    expect(judgeNorm(1.5, 1, 0, strict)).toBe('healthy');
  });

  test('the defaults are the documented ones', () => {
    expect(DEFAULT_THRESHOLDS).toEqual(t);
  });
});

test('worstVerdict orders healthy < vanishing < exploding < non-finite', () => {
  expect(worstVerdict([])).toBe('healthy');
  expect(worstVerdict(['healthy', 'vanishing', 'healthy'])).toBe('vanishing');
  expect(worstVerdict(['exploding', 'vanishing'])).toBe('exploding');
  expect(worstVerdict(['vanishing', 'non-finite', 'exploding'])).toBe('non-finite');
});
