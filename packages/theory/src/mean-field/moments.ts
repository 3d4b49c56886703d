import type { ActivationFunctions, ClosedForms } from '../activations.js';
import { invalidArgument } from '../invalid-argument.js';
import {
  bivariateGaussianExpectation,
  gaussianExpectation,
} from '../quadrature/gaussian-expectation.js';

/**
 * Expectations are taken at q >= Q_FLOOR rather than at q = 0: there phi'(sqrt(q) z) takes both
 * one-sided slopes of an activation that bends at 0 (their mean square is the q -> 0+ limit of
 * E[phi'^2]), where at q = 0 exactly it would take whichever value phi'(0) happens to have.
 * sqrt(1e-200) = 1e-100 keeps phi(sqrt(q) z)^2 far above the smallest double.
 */
export const Q_FLOOR = 1e-200;
/** Where the length grows without bound, moments are taken at this q: their q -> inf limit. */
export const Q_LIMIT = 1e30;
/** Stein's form of the length map's slope divides by sqrt(q); below this it would lose every digit. */
const STEIN_FLOOR = 1e-12;

/**
 * The Gaussian moments of an activation as functions of the pre-activation variance q (and
 * correlation c): closed forms where the activation has them, quadrature otherwise.
 */
export type Moments = Omit<ClosedForms, 'homogeneous'>;

function finite(activation: ActivationFunctions, what: string, q: number, value: number): number {
  if (!Number.isFinite(value)) {
    throw invalidArgument(
      `activation ${activation.name}`,
      `${what} = ${value} at q = ${q}`,
      'an activation whose Gaussian moments are finite (phi and dphi must return finite numbers)',
    );
  }
  return value;
}

export function moments(activation: ActivationFunctions): Moments {
  const closed = activation.closedForms;
  if (closed) return closed;
  const { phi, dphi, d2phi } = activation;
  const scale = (q: number) => Math.sqrt(Math.max(q, Q_FLOOR));
  const check = (what: string, q: number, value: number) => finite(activation, what, q, value);
  return {
    secondMoment: (q) => {
      const s = scale(q);
      return check(
        'E[phi^2]',
        q,
        gaussianExpectation((z) => phi(s * z) ** 2),
      );
    },
    slopeSecondMoment: (q) => {
      const s = scale(q);
      return check(
        "E[phi'^2]",
        q,
        gaussianExpectation((z) => dphi(s * z) ** 2),
      );
    },
    secondMomentSlope: (q) => {
      if (d2phi) {
        const s = scale(q);
        return check(
          "E[phi'^2 + phi phi'']",
          q,
          gaussianExpectation((z) => dphi(s * z) ** 2 + phi(s * z) * d2phi(s * z)),
        );
      }
      // Stein's lemma: d/dq E[phi(sqrt(q) z)^2] = E[z phi(sqrt(q) z) phi'(sqrt(q) z)] / sqrt(q).
      const s = Math.sqrt(Math.max(q, STEIN_FLOOR));
      return check(
        "E[z phi phi'] / sqrt(q)",
        q,
        gaussianExpectation((z) => z * phi(s * z) * dphi(s * z)) / s,
      );
    },
    kernel: (q, c) => {
      const s = scale(q);
      const f = (x: number) => phi(s * x);
      return check('E[phi(u1) phi(u2)]', q, bivariateGaussianExpectation(f, f, c));
    },
    slopeKernel: (q, c) => {
      const s = scale(q);
      const f = (x: number) => dphi(s * x);
      return check("E[phi'(u1) phi'(u2)]", q, bivariateGaussianExpectation(f, f, c));
    },
  };
}
