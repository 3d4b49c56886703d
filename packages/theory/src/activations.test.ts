import { describe, expect, test } from 'vitest';
import {
  activationFunctions,
  activationNames,
  leakyRelu,
  SELU_ALPHA,
  SELU_SCALE,
} from './activations.js';
import { TheoryArgumentError } from './invalid-argument.js';
import { moments } from './mean-field/moments.js';
import { gaussianExpectation } from './quadrature/gaussian-expectation.js';
import { erf, erfc, normalCdf } from './special-functions.js';

describe('built-in activations', () => {
  const points = [-3.1, -1.2, -0.4, 0.3, 0.9, 2.6];

  test.each(activationNames)('%s: dphi and d2phi are the derivatives of phi and dphi', (name) => {
    const { phi, dphi, d2phi } = activationFunctions(name);
    const h = 1e-5;
    for (const x of points) {
      expect(dphi(x)).toBeCloseTo((phi(x + h) - phi(x - h)) / (2 * h), 8);
      if (d2phi) expect(d2phi(x)).toBeCloseTo((dphi(x + h) - dphi(x - h)) / (2 * h), 7);
    }
  });

  test('names and slopes follow gradlab: leaky-relu 0.01, prelu 0.25 (its initial slope), elu alpha 1', () => {
    expect(activationFunctions('leaky-relu').phi(-2)).toBeCloseTo(-0.02, 15);
    expect(activationFunctions('prelu').phi(-2)).toBeCloseTo(-0.5, 15);
    expect(activationFunctions('elu').phi(-50)).toBeCloseTo(-1, 15);
    expect(activationFunctions('relu').name).toBe('relu');
    expect(activationFunctions('linear').phi(-3.5)).toBe(-3.5);
  });

  test('SELU is self-normalising at N(0, 1) (Klambauer et al. 2017): mean 0 and second moment 1', () => {
    const selu = activationFunctions('selu');
    expect(gaussianExpectation(selu.phi)).toBeCloseTo(0, 9);
    expect(gaussianExpectation((z) => selu.phi(z) ** 2)).toBeCloseTo(1, 9);
    expect(selu.phi(-1)).toBeCloseTo(SELU_SCALE * SELU_ALPHA * (Math.exp(-1) - 1), 15);
  });

  // The closed forms against the quadrature the other activations use: each checks the other.
  const closedFormActivations = [
    ['relu', activationFunctions('relu')],
    ['leaky 0.2', leakyRelu(0.2)],
    ['linear', activationFunctions('linear')],
    ['erf', activationFunctions('erf')],
  ] as const;
  test.each(closedFormActivations)(
    '%s: closed forms equal quadrature of phi and dphi',
    (_, act) => {
      const closed = act.closedForms;
      if (!closed) throw new Error('expected closed forms');
      const numeric = moments({ name: act.name, phi: act.phi, dphi: act.dphi });
      for (const q of [0.05, 1, 7]) {
        expect(closed.secondMoment(q)).toBeCloseTo(numeric.secondMoment(q), 11);
        expect(closed.slopeSecondMoment(q)).toBeCloseTo(numeric.slopeSecondMoment(q), 11);
        // Stein's form (no d2phi given) against the closed derivative of E[phi^2].
        expect(closed.secondMomentSlope(q)).toBeCloseTo(numeric.secondMomentSlope(q), 10);
        for (const c of [-0.7, 0, 0.4, 0.95, 1]) {
          expect(closed.kernel(q, c)).toBeCloseTo(numeric.kernel(q, c), 10);
          expect(closed.slopeKernel(q, c)).toBeCloseTo(numeric.slopeKernel(q, c), 10);
        }
      }
    },
  );
});

describe('activationFunctions', () => {
  test('an unknown name is refused with the list of known ones', () => {
    expect(() => activationFunctions('swish' as never)).toThrow(TheoryArgumentError);
    expect(() => activationFunctions('swish' as never)).toThrow(
      /activation is swish; expected one of linear, sigmoid, tanh, relu, leaky-relu, prelu, elu, selu, gelu, erf/,
    );
  });

  test('a custom activation needs a name, phi and dphi', () => {
    const softplus = {
      name: 'softplus',
      phi: (x: number) => Math.log1p(Math.exp(x)),
      dphi: (x: number) => 1 / (1 + Math.exp(-x)),
    };
    expect(activationFunctions(softplus)).toBe(softplus);
    expect(() => activationFunctions({ ...softplus, name: '' })).toThrow(/activation.name/);
    expect(() => activationFunctions({ name: 'x', phi: Math.sin } as never)).toThrow(
      /activation.dphi is undefined; expected a function/,
    );
    expect(() => activationFunctions(42 as never)).toThrow(TheoryArgumentError);
  });

  test('a leaky slope outside [0, 1] is refused', () => {
    expect(() => leakyRelu(-0.1)).toThrow(/negativeSlope is -0.1; expected a number from 0 to 1/);
    expect(() => leakyRelu(Number.NaN)).toThrow(TheoryArgumentError);
  });

  test('moments of an activation that returns non-finite numbers are refused, naming it', () => {
    const bad = {
      name: 'exp2',
      phi: (x: number) => Math.exp(x * x),
      dphi: (x: number) => 2 * x * Math.exp(x * x),
    };
    expect(() => moments(bad).secondMoment(4)).toThrow(
      /activation exp2 is E\[phi\^2\] = Infinity at q = 4/,
    );
  });
});

describe('special functions', () => {
  test('erf and erfc against tabulated values (Abramowitz & Stegun, table 7.1)', () => {
    const table: [number, number][] = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
    ];
    for (const [x, value] of table) {
      expect(erf(x) / value - 1).toBeCloseTo(0, 14);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(erfc(3) / 2.209049699858544e-5 - 1).toBeCloseTo(0, 13);
    expect(erfc(5) / 1.5374597944280349e-12 - 1).toBeCloseTo(0, 13);
    expect(erfc(10) / 2.088487583762545e-45 - 1).toBeCloseTo(0, 13);
    expect(erfc(30)).toBe(0);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 15);
  });
});
