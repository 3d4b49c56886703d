import { describe, expect, test } from 'vitest';
import { activationFunctions, leakyRelu } from '../activations.js';
import { TheoryArgumentError } from '../invalid-argument.js';
import { referenceExpectation } from '../test-integrals.js';
import { correlationFixedPoint, correlationMap, correlationMapSlope } from './correlation.js';
import { criticalSw2 } from './critical-line.js';
import { lengthFixedPoint, lengthMap, lengthMapSlope } from './length.js';
import { meanField, predictedGradientRatio } from './mean-field.js';

const sech2 = (x: number) => 1 / Math.cosh(x) ** 2;

describe('ReLU: the closed forms', () => {
  test('chi_1 = sw2 / 2 exactly, q* = sb2 / (1 - sw2 / 2), and c* = 1 in the ordered phase', () => {
    for (const [sw2, sb2] of [
      [1, 0.1],
      [1.5, 0.3],
      [1.9, 0.01],
    ] as const) {
      const p = meanField('relu', { sw2, sb2 });
      expect(p.chi1).toBe(sw2 / 2);
      expect(p.qStar).toBeCloseTo(sb2 / (1 - sw2 / 2), 14);
      expect(p.lengthFate).toBe('fixed-point');
      expect(p.phase).toBe('ordered');
      expect(p.cStar).toBe(1);
      expect(p.xiC).toBeCloseTo(-1 / Math.log(sw2 / 2), 12);
      expect(p.xiQ).toBeCloseTo(-1 / Math.log(sw2 / 2), 12);
      expect(p.trainableDepth).toBeCloseTo(6 * p.xiC, 12);
      // q* is where iterating the length map from 1 ends up.
      let q = 1;
      for (let l = 0; l < 2000; l++) q = lengthMap('relu', { sw2, sb2 }, q);
      expect(q).toBeCloseTo(p.qStar, 10);
    }
  });

  test('He initialisation (sw2 = 2, sb2 = 0) is critical and every length is preserved: q* is not a number', () => {
    const p = meanField('relu', { sw2: 2, sb2: 0 });
    expect(p).toMatchObject({ chi1: 1, phase: 'critical', lengthFate: 'marginal', cStar: 1 });
    expect(p.qStar).toBeNaN();
    expect(p.xiC).toBe(Number.POSITIVE_INFINITY);
    expect(p.notes.join(' ')).toMatch(/Every length is a fixed point/);
  });

  test('sw2 > 2, or sw2 = 2 with a bias: the length diverges (q* = Infinity), never a wrong finite number', () => {
    for (const [sw2, sb2] of [
      [3, 0.1],
      [2, 0.05],
      [2.5, 0],
    ] as const) {
      const p = meanField('relu', { sw2, sb2 });
      expect(p.qStar).toBe(Number.POSITIVE_INFINITY);
      expect(p.lengthFate).toBe('diverges');
      expect(p.chi1).toBe(sw2 / 2);
      expect(p.xiQ).toBeNaN();
      expect(p.notes.join(' ')).toMatch(/no finite fixed point/);
    }
    // The arc-cosine map's slope at c = 1 is 1: correlations approach 1 polynomially.
    expect(meanField('relu', { sw2: 3, sb2: 0.1 })).toMatchObject({
      cStar: 1,
      chiC: 1,
      xiC: Number.POSITIVE_INFINITY,
    });
  });
});

describe('tanh', () => {
  test('sw2 = 1, sb2 = 0: q* = 0, chi_1 = 1, critical', () => {
    const p = meanField('tanh', { sw2: 1, sb2: 0 });
    expect(p.qStar).toBe(0);
    expect(p.chi1).toBeCloseTo(1, 14);
    expect(p.phase).toBe('critical');
    expect(p.xiC).toBe(Number.POSITIVE_INFINITY);
    expect(p.trainableDepth).toBe(Number.POSITIVE_INFINITY);
    expect(p.notes.join(' ')).toMatch(/q\* = 0/);
  });

  test('sw2 < 1, sb2 = 0: the signal dies (q* = 0), chi_1 = sw2, ordered, xi_c = -1 / log sw2', () => {
    const p = meanField('tanh', { sw2: 0.5, sb2: 0 });
    expect(p).toMatchObject({ qStar: 0, phase: 'ordered', cStar: 1 });
    expect(p.chi1).toBeCloseTo(0.5, 14);
    expect(p.xiC).toBeCloseTo(-1 / Math.log(0.5), 12);
  });

  test('q* is a fixed point of the length map and chi_1 = sw2 E[sech^4] by independent integration', () => {
    for (const [sw2, sb2] of [
      [1.5, 0.05],
      [2.5, 0.2],
      [4, 0.1],
    ] as const) {
      const p = meanField('tanh', { sw2, sb2 });
      expect(lengthMap('tanh', { sw2, sb2 }, p.qStar) - p.qStar).toBeCloseTo(0, 12);
      const s = Math.sqrt(p.qStar);
      expect(p.chi1).toBeCloseTo(sw2 * referenceExpectation((z) => sech2(s * z) ** 2), 10);
      // xi_q is the slope of the length map at q*: against a central difference.
      const h = 1e-5;
      const slope =
        (lengthMap('tanh', { sw2, sb2 }, p.qStar + h) -
          lengthMap('tanh', { sw2, sb2 }, p.qStar - h)) /
        (2 * h);
      expect(lengthMapSlope('tanh', { sw2, sb2 }, p.qStar)).toBeCloseTo(slope, 8);
      expect(p.xiQ).toBeCloseTo(-1 / Math.log(slope), 6);
    }
  });

  test('iterated from q = 1, the length approaches q* at the rate exp(-1 / xi_q) per layer', () => {
    const params = { sw2: 2.5, sb2: 0.2 };
    const p = meanField('tanh', params);
    let q = 1;
    const gaps: number[] = [];
    for (let l = 0; l < 12; l++) {
      q = lengthMap('tanh', params, q);
      gaps.push(q - p.qStar);
    }
    expect((gaps[11] as number) / (gaps[10] as number)).toBeCloseTo(Math.exp(-1 / p.xiQ), 4);
  });

  test('chaotic (sw2 = 4, sb2 = 0.1): c* < 1 is a fixed point of C, and chi_c is the slope of C there', () => {
    const params = { sw2: 4, sb2: 0.1 };
    const p = meanField('tanh', params);
    expect(p.phase).toBe('chaotic');
    expect(p.chi1).toBeGreaterThan(1);
    expect(p.cStar).toBeGreaterThan(0);
    expect(p.cStar).toBeLessThan(1);
    expect(correlationMap('tanh', params, p.cStar)).toBeCloseTo(p.cStar, 11);
    const h = 1e-5;
    const slope =
      (correlationMap('tanh', params, p.cStar + h) - correlationMap('tanh', params, p.cStar - h)) /
      (2 * h);
    expect(p.chiC).toBeCloseTo(slope, 8);
    expect(p.chiC).toBeLessThan(1);
    expect(p.xiC).toBeCloseTo(-1 / Math.log(p.chiC), 10);
    // Iterating C from c = 0.9 lands on c* (chi_c^150 < 1e-9).
    let c = 0.9;
    for (let l = 0; l < 150; l++) c = correlationMap('tanh', params, c, p.qStar);
    expect(c).toBeCloseTo(p.cStar, 9);
    // C(1) = 1 and its slope there is chi_1 (Schoenholz et al. 2017).
    expect(correlationMap('tanh', params, 1)).toBeCloseTo(1, 14);
    expect(correlationMapSlope('tanh', params, 1)).toBeCloseTo(p.chi1, 9);
  });

  test('chaotic with sb2 = 0: an odd activation decorrelates completely, c* = 0', () => {
    const p = meanField('tanh', { sw2: 3, sb2: 0 });
    expect(p.phase).toBe('chaotic');
    expect(p.cStar).toBe(0);
  });
});

describe('sigmoid', () => {
  const logistic = (x: number) => 1 / (1 + Math.exp(-x));
  /** q* by fixed-point iteration of adaptive Simpson integrals, then chi_1: nothing from the package. */
  function independent(sw2: number, sb2: number): { qStar: number; chi1: number } {
    let q = 1;
    for (let l = 0; l < 500; l++) {
      const s = Math.sqrt(q);
      const next = sw2 * referenceExpectation((z) => logistic(s * z) ** 2, 0, 1e-12) + sb2;
      if (Math.abs(next - q) < 1e-13) break;
      q = next;
    }
    const s = Math.sqrt(q);
    const slope = (z: number) => logistic(s * z) * (1 - logistic(s * z));
    return { qStar: q, chi1: sw2 * referenceExpectation((z) => slope(z) ** 2, 0, 1e-12) };
  }

  test('q* and chi_1 by independent integration, ordered and chaotic', () => {
    for (const [sw2, sb2, phase] of [
      [4, 0.1, 'ordered'],
      [130, 0, 'chaotic'],
    ] as const) {
      const p = meanField('sigmoid', { sw2, sb2 });
      const ref = independent(sw2, sb2);
      expect(p.qStar).toBeCloseTo(ref.qStar, 9);
      expect(p.chi1).toBeCloseTo(ref.chi1, 9);
      expect(p.phase).toBe(phase);
    }
  });

  test('its critical line: chi_1 = 1 by independent integration (sw2 = 103.0 at sb2 = 0)', () => {
    const sw2 = criticalSw2('sigmoid', 0);
    expect(sw2).toBeCloseTo(103.008, 2);
    expect(independent(sw2, 0).chi1).toBeCloseTo(1, 6);
  });

  test('its mean is not 0, so two inputs stay correlated: C(0) > 0 and c* > 0 in the chaotic phase', () => {
    const params = { sw2: 130, sb2: 0 };
    const p = meanField('sigmoid', params);
    // E[phi(u1) phi(u2)] at c = 0 is E[phi]^2 = 1/4 for any q.
    expect(correlationMap('sigmoid', params, 0)).toBeCloseTo(
      (params.sw2 / 4 + params.sb2) / p.qStar,
      9,
    );
    expect(p.cStar).toBeGreaterThan(0.5);
    expect(p.cStar).toBeLessThan(1);
    expect(correlationMap('sigmoid', params, p.cStar)).toBeCloseTo(p.cStar, 10);
  });
});

describe('the generic path agrees with the closed forms', () => {
  // The same activations as bare { phi, dphi } go through quadrature, root finding and the
  // two-dimensional rule; the built-ins use closed forms for every moment.
  const bare = (name: 'erf' | 'relu') => {
    const { phi, dphi } = activationFunctions(name);
    return { name: `bare ${name}`, phi, dphi };
  };

  test('erf, chaotic (sw2 = 3, sb2 = 0.1) and ordered (sw2 = 1, sb2 = 0.2)', () => {
    for (const params of [
      { sw2: 3, sb2: 0.1 },
      { sw2: 1, sb2: 0.2 },
    ]) {
      const exact = meanField('erf', params);
      const numeric = meanField(bare('erf'), params);
      for (const key of ['qStar', 'chi1', 'cStar', 'chiC', 'xiQ', 'xiC'] as const) {
        expect(numeric[key]).toBeCloseTo(exact[key], 9);
      }
      expect(numeric.phase).toBe(exact.phase);
    }
    expect(meanField('erf', { sw2: 3, sb2: 0.1 }).phase).toBe('chaotic');
  });

  test('ReLU with a bias, ordered', () => {
    const exact = meanField('relu', { sw2: 1.6, sb2: 0.1 });
    const numeric = meanField(bare('relu'), { sw2: 1.6, sb2: 0.1 });
    for (const key of ['qStar', 'chi1', 'xiQ', 'xiC'] as const)
      expect(numeric[key]).toBeCloseTo(exact[key], 10);
  });

  test('an unbounded activation whose length diverges (ELU, sw2 = 3): chi_1 is the q -> Infinity limit, sw2 / 2', () => {
    const p = meanField('elu', { sw2: 3, sb2: 0.1 });
    expect(p.lengthFate).toBe('diverges');
    expect(p.chi1).toBeCloseTo(1.5, 12);
    expect(p.cStar).toBe(1);
    expect(p.xiC).toBe(Number.POSITIVE_INFINITY);
  });

  test('SELU at sw2 = 1, sb2 = 0 keeps the unit length it was designed for (Klambauer et al. 2017)', () => {
    const p = meanField('selu', { sw2: 1, sb2: 0 });
    expect(p.qStar).toBeCloseTo(1, 9);
    expect(p.cStar).toBeCloseTo(0, 9);
  });

  test('a linear network above sw2 = 1 preserves every correlation: c* is not a number', () => {
    const p = meanField('linear', { sw2: 2, sb2: 0.1 });
    expect(p).toMatchObject({ chi1: 2, phase: 'chaotic', lengthFate: 'diverges' });
    expect(p.cStar).toBeNaN();
    expect(p.notes.join(' ')).toMatch(/Every correlation is a fixed point/);
    const leaky = meanField(leakyRelu(0.5), { sw2: 1, sb2: 0.3 });
    expect(leaky.chi1).toBe((1 * (1 + 0.25)) / 2);
  });
});

describe('phase and tolerance', () => {
  test('|chi_1 - 1| below the tolerance is critical; the tolerance is an option', () => {
    expect(meanField('relu', { sw2: 2.0015, sb2: 0.1 }).phase).toBe('critical');
    expect(meanField('relu', { sw2: 2.0015, sb2: 0.1 }, { criticalTolerance: 1e-4 }).phase).toBe(
      'chaotic',
    );
    expect(meanField('relu', { sw2: 1.99, sb2: 0.1 }).phase).toBe('ordered');
  });
});

describe('notes', () => {
  test('a q* beyond the range where the quadrature is good to 1e-6 says so', () => {
    const wide = meanField('tanh', { sw2: 100, sb2: 0 });
    expect(wide.qStar).toBeGreaterThan(64);
    expect(wide.notes.join(' ')).toMatch(
      /exceeds 64: past there the quadrature's error grows beyond 1e-6/,
    );
    expect(meanField('tanh', { sw2: 4, sb2: 0.1 }).notes).toEqual([]);
  });
});

describe('predictedGradientRatio', () => {
  test('chi_1 to the power of the depth', () => {
    const p = meanField('relu', { sw2: 1.5, sb2: 0.1 });
    expect(predictedGradientRatio(p, 20)).toBeCloseTo(0.75 ** 20, 15);
    expect(predictedGradientRatio(p, 0)).toBe(1);
    expect(predictedGradientRatio(meanField('relu', { sw2: 2, sb2: 0 }), 50)).toBe(1);
  });

  test('a depth that is not a whole number of layers is refused', () => {
    const p = meanField('relu', { sw2: 1.5, sb2: 0.1 });
    expect(() => predictedGradientRatio(p, -1)).toThrow(/depth is -1; expected an integer >= 0/);
    expect(() => predictedGradientRatio(p, 2.5)).toThrow(TheoryArgumentError);
  });
});

describe('bad input', () => {
  test('negative or non-finite variances, unknown activations, bad correlations', () => {
    expect(() => meanField('tanh', { sw2: -1, sb2: 0 })).toThrow(
      /sw2 is -1; expected a finite number >= 0/,
    );
    expect(() => meanField('tanh', { sw2: 1, sb2: Number.NaN })).toThrow(/sb2 is NaN/);
    expect(() => meanField('softsign' as never, { sw2: 1, sb2: 0 })).toThrow(
      /activation is softsign/,
    );
    expect(() => correlationMap('tanh', { sw2: 1, sb2: 0.1 }, 1.2)).toThrow(
      /c is 1.2; expected a correlation from -1 to 1/,
    );
    expect(() => lengthMap('tanh', { sw2: 1, sb2: 0.1 }, -2)).toThrow(/q is -2/);
    expect(() => meanField('tanh', { sw2: 1, sb2: 0 }, { criticalTolerance: -1 })).toThrow(
      /criticalTolerance/,
    );
    expect(() => lengthFixedPoint('tanh', { sw2: 1, sb2: 0 }, Number.POSITIVE_INFINITY)).toThrow(
      /q0 is Infinity/,
    );
    expect(() => correlationFixedPoint('tanh', null as never)).toThrow(/params is null/);
  });
});
