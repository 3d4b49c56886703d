import { describe, expect, test } from 'vitest';
import { leakyRelu } from '../activations.js';
import { TheoryArgumentError } from '../invalid-argument.js';
import { referenceExpectation } from '../test-integrals.js';
import { criticalSw2 } from './critical-line.js';
import { meanField } from './mean-field.js';

/** chi_1 at (sw2, sb2) for tanh with nothing from the package: fixed-point iteration of adaptive Simpson integrals. */
function independentTanhChi1(sw2: number, sb2: number): number {
  let q = 1;
  for (let l = 0; l < 500; l++) {
    const s = Math.sqrt(q);
    const next = sw2 * referenceExpectation((z) => Math.tanh(s * z) ** 2, 0, 1e-11) + sb2;
    if (Math.abs(next - q) < 1e-13) break;
    q = next;
  }
  const s = Math.sqrt(q);
  return sw2 * referenceExpectation((z) => 1 / Math.cosh(s * z) ** 4, 0, 1e-11);
}

describe('criticalSw2', () => {
  test('tanh: through (sb2 = 0, sw2 = 1), rising with sb2 (Poole et al. 2016, Fig. 2; Schoenholz et al. 2017, Fig. 1)', () => {
    expect(criticalSw2('tanh', 0)).toBeCloseTo(1, 10);
    const line = [0, 0.02, 0.05, 0.1, 0.2, 0.3].map((sb2) => criticalSw2('tanh', sb2));
    for (let i = 1; i < line.length; i++) expect(line[i]).toBeGreaterThan(line[i - 1] as number);
    // Schoenholz et al.'s figure puts sb2 = 0.05 near sw2 = 1.76.
    expect(line[2]).toBeGreaterThan(1.7);
    expect(line[2]).toBeLessThan(1.8);
  });

  test('tanh: chi_1 = 1 at the returned sw2, by the package and by independent integration', () => {
    for (const sb2 of [0.05, 0.2]) {
      const sw2 = criticalSw2('tanh', sb2);
      const p = meanField('tanh', { sw2, sb2 }, { criticalTolerance: 0 });
      expect(p.chi1).toBeCloseTo(1, 10);
      expect(independentTanhChi1(sw2, sb2)).toBeCloseTo(1, 8);
      // Either side of the line: ordered below, chaotic above.
      expect(meanField('tanh', { sw2: sw2 * 0.98, sb2 }).phase).toBe('ordered');
      expect(meanField('tanh', { sw2: sw2 * 1.02, sb2 }).phase).toBe('chaotic');
    }
  });

  test('closed forms: relu 2, linear 1, leaky ReLU 2 / (1 + a^2) at every sb2; erf pi / 4 at sb2 = 0', () => {
    for (const sb2 of [0, 0.1, 1]) {
      expect(criticalSw2('relu', sb2)).toBe(2);
      expect(criticalSw2('linear', sb2)).toBe(1);
      expect(criticalSw2(leakyRelu(0.3), sb2)).toBeCloseTo(2 / 1.09, 14);
    }
    // chi_1 = sw2 (4 / pi) / sqrt(1 + 4 q*) with q* = 0 below the line: the crossing is at pi / 4.
    // Above it chi_1 - 1 grows only quadratically in sw2 - pi / 4, which limits the precision.
    expect(criticalSw2('erf', 0)).toBeCloseTo(Math.PI / 4, 7);
  });

  test('no crossing in the range: a clear error naming sb2 and the range of chi_1', () => {
    const faint = {
      name: 'faint tanh',
      phi: (x: number) => 1e-3 * Math.tanh(x),
      dphi: (x: number) => 1e-3 / Math.cosh(x) ** 2,
    };
    expect(() => criticalSw2(faint, 0.1)).toThrow(TheoryArgumentError);
    expect(() => criticalSw2(faint, 0.1)).toThrow(
      /sb2 is 0.1; expected a bias variance at which chi_1 of faint tanh crosses 1 for sw2 from 0.001 to 10000/,
    );
    expect(() => criticalSw2('tanh', 0.1, { range: [0.1, 0.5] })).toThrow(
      /chi_1 goes from .* to .* without reaching 1/,
    );
    expect(() => criticalSw2('relu', 0, { range: [3, 4] })).toThrow(TheoryArgumentError);
  });

  test('bad sb2, bad range', () => {
    expect(() => criticalSw2('tanh', -0.1)).toThrow(/sb2 is -0.1; expected a finite number >= 0/);
    expect(() => criticalSw2('tanh', 0.1, { range: [2, 1] })).toThrow(/range is \[2,1\]/);
    expect(() => criticalSw2('nope' as never, 0.1)).toThrow(/activation is nope/);
  });
});
