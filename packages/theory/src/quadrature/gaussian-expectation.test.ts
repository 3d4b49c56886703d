import { describe, expect, test } from 'vitest';
import { activationFunctions } from '../activations.js';
import { TheoryArgumentError } from '../invalid-argument.js';
import { referenceBivariate, referenceExpectation } from '../test-integrals.js';
import {
  bivariateGaussianExpectation,
  gaussHermiteExpectation,
  gaussianExpectation,
} from './gaussian-expectation.js';

const relu = (x: number) => Math.max(x, 0);
const step = (x: number) => (x > 0 ? 1 : 0);

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}

describe('gaussianExpectation', () => {
  test('closed forms: E[z^2] = 1, E[relu(z)^2] = 1/2, E[relu(z)] = 1/sqrt(2 pi), E[|z|] = sqrt(2/pi), E[cos z] = e^(-1/2)', () => {
    expect(gaussianExpectation((z) => z * z)).toBeCloseTo(1, 14);
    expect(gaussianExpectation((z) => relu(z) ** 2)).toBeCloseTo(0.5, 14);
    expect(gaussianExpectation(relu)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 14);
    expect(gaussianExpectation(Math.abs)).toBeCloseTo(Math.sqrt(2 / Math.PI), 14);
    expect(gaussianExpectation(Math.cos)).toBeCloseTo(Math.exp(-0.5), 14);
    expect(gaussianExpectation(step)).toBeCloseTo(0.5, 15);
  });

  // Each activation's second moment, slope moment and Stein term at variances up to 64,
  // against adaptive Simpson integration split at 0: the accuracy the README states.
  const activations = ['tanh', 'sigmoid', 'erf', 'elu', 'selu', 'gelu'] as const;
  const variances = [0.01, 1, 4, 25, 64];
  test.each(activations)(
    "%s: E[phi^2], E[phi'^2] and E[z phi phi'] at q up to 64 agree with adaptive Simpson to 1e-6",
    (name) => {
      const { phi, dphi } = activationFunctions(name);
      let worst = 0;
      for (const q of variances) {
        const s = Math.sqrt(q);
        const integrands = [
          (z: number) => phi(s * z) ** 2,
          (z: number) => dphi(s * z) ** 2,
          (z: number) => z * phi(s * z) * dphi(s * z),
        ];
        for (const f of integrands)
          worst = Math.max(worst, relativeError(gaussianExpectation(f), referenceExpectation(f)));
      }
      expect(worst).toBeLessThan(1e-6);
    },
  );

  test("why the line is split at 0: 128 plain Gauss-Hermite nodes miss E[elu'(z)^2] by 4e-3 and tanh at q = 4 by 6e-5, 64 half-range nodes do not", () => {
    const elu = activationFunctions('elu');
    const tanh = activationFunctions('tanh');
    const cases: [(z: number) => number, number][] = [
      [(z) => elu.dphi(z) ** 2, 1e-3],
      [(z) => tanh.dphi(2 * z) ** 2, 1e-5],
    ];
    for (const [f, plainError] of cases) {
      const exact = referenceExpectation(f);
      expect(relativeError(gaussHermiteExpectation(f, 128), exact)).toBeGreaterThan(plainError);
      expect(relativeError(gaussianExpectation(f), exact)).toBeLessThan(1e-10);
    }
  });

  test('nodes must be an integer from 1 to 128', () => {
    expect(() => gaussianExpectation((z) => z, 0)).toThrow(TheoryArgumentError);
    expect(() => gaussianExpectation((z) => z, 129)).toThrow(
      /nodes is 129; expected an integer from 1 to 128/,
    );
    expect(() => gaussianExpectation((z) => z, 2.5)).toThrow(/nodes is 2.5/);
  });
});

describe('bivariateGaussianExpectation', () => {
  const erf = activationFunctions('erf');
  const correlations = [-0.9, 0, 0.5, 0.9, 0.999, 1];

  test('erf kernels (Williams 1997) to 1e-6 for q up to 64, every correlation', () => {
    const closed = erf.closedForms;
    if (!closed) throw new Error('erf has closed forms');
    for (const q of [0.1, 1, 16, 64]) {
      const s = Math.sqrt(q);
      for (const c of correlations) {
        const kernel = bivariateGaussianExpectation(
          (x) => erf.phi(s * x),
          (x) => erf.phi(s * x),
          c,
        );
        expect(Math.abs(kernel - closed.kernel(q, c))).toBeLessThan(
          1e-6 * Math.max(1, Math.abs(closed.kernel(q, c))),
        );
        const slope = bivariateGaussianExpectation(
          (x) => erf.dphi(s * x),
          (x) => erf.dphi(s * x),
          c,
        );
        expect(relativeError(slope, closed.slopeKernel(q, c))).toBeLessThan(1e-6);
      }
    }
  });

  test('ReLU: the arc-cosine kernel (Cho & Saul 2009) and P(x1 > 0, x2 > 0) are exact in the sectors', () => {
    for (const c of correlations) {
      const angle = Math.acos(c);
      const arcCosine = (Math.sqrt(1 - c * c) + (Math.PI - angle) * c) / (2 * Math.PI);
      expect(bivariateGaussianExpectation(relu, relu, c)).toBeCloseTo(arcCosine, 13);
      expect(bivariateGaussianExpectation(step, step, c)).toBeCloseTo(
        (Math.PI - angle) / (2 * Math.PI),
        13,
      );
    }
  });

  test('tanh at q = 4, c = 0.6 against nested adaptive Simpson integration', () => {
    const f = (x: number) => Math.tanh(2 * x);
    const g = (x: number) => 1 / Math.cosh(2 * x) ** 2;
    expect(bivariateGaussianExpectation(f, f, 0.6)).toBeCloseTo(referenceBivariate(f, f, 0.6), 7);
    expect(bivariateGaussianExpectation(g, g, 0.6)).toBeCloseTo(referenceBivariate(g, g, 0.6), 7);
  });

  test('c must be a correlation', () => {
    expect(() => bivariateGaussianExpectation(relu, relu, 1.5)).toThrow(
      /c is 1.5; expected a correlation from -1 to 1/,
    );
    expect(() => bivariateGaussianExpectation(relu, relu, Number.NaN)).toThrow(TheoryArgumentError);
  });
});
