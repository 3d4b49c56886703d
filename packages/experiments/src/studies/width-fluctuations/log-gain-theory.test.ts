import { createRng } from '@gradlab/core';
import { describe, expect, test } from 'vitest';
import { beta, layerLogGainVariance, logGainVariance } from './log-gain-theory.js';

describe('log-gain theory', () => {
  test("closed forms: psi'(1/2) = pi^2/2 and psi'(1) = pi^2/6", () => {
    // One ReLU unit: K = 1 whenever the tangent survives, so v = Var[log chi^2_1] = psi'(1/2).
    expect(layerLogGainVariance(1, 'relu')).toBeCloseTo(Math.PI ** 2 / 2, 12);
    expect(layerLogGainVariance(1, 'linear')).toBeCloseTo(Math.PI ** 2 / 2, 12);
    expect(layerLogGainVariance(2, 'linear')).toBeCloseTo(Math.PI ** 2 / 6, 12);
    // psi'(3/2) = pi^2/2 - 4.
    expect(layerLogGainVariance(3, 'linear')).toBeCloseTo(Math.PI ** 2 / 2 - 4, 12);
  });

  test('wide layers: v(n) = 5/n for ReLU and 2/n for linear, up to O(1/n^2)', () => {
    for (const n of [256, 1024]) {
      expect(n * layerLogGainVariance(n, 'relu')).toBeCloseTo(5, n === 1024 ? 1 : 0);
      expect(n * layerLogGainVariance(n, 'linear')).toBeCloseTo(2, n === 1024 ? 2 : 1);
    }
    // The excess over 5/n shrinks like 1/n^2: quadrupling n divides it by ~16.
    const excess = (n: number) => layerLogGainVariance(n, 'relu') - 5 / n;
    expect(excess(64) / excess(256)).toBeGreaterThan(12);
    expect(excess(64) / excess(256)).toBeLessThan(20);
  });

  test('agrees with a simulation of one layer: (2/n) sum over on-units of chi^2_1', () => {
    const rng = createRng(11, 'log-gain');
    for (const n of [4, 16]) {
      const samples = 40_000;
      let s1 = 0;
      let s2 = 0;
      let kept = 0;
      for (let i = 0; i < samples; i++) {
        let r = 0;
        let on = 0;
        for (let unit = 0; unit < n; unit++) {
          const g = rng.normal();
          if (rng.next() < 0.5) {
            r += g * g;
            on++;
          }
        }
        if (on === 0) continue;
        const l = Math.log((2 / n) * r);
        s1 += l;
        s2 += l * l;
        kept++;
      }
      const variance = (s2 - (s1 * s1) / kept) / (kept - 1);
      // Standard error of a sample variance of log chi^2: ~ variance * sqrt(2.5 / kept) < 1.2%.
      expect(Math.abs(variance / layerLogGainVariance(n, 'relu') - 1)).toBeLessThan(0.04);
    }
  });

  test('sums over layers; beta is the sum of 1/width', () => {
    expect(logGainVariance([16, 32], 'relu')).toBeCloseTo(
      layerLogGainVariance(16, 'relu') + layerLogGainVariance(32, 'relu'),
      14,
    );
    expect(beta([16, 32, 64])).toBeCloseTo(1 / 16 + 1 / 32 + 1 / 64, 15);
  });
});
