import { gaussRule, type QuadratureRule } from './gauss-rule.js';
import { discretisedStieltjes } from './stieltjes.js';

/** Node counts the rules are built for: beyond 128 the discretisation of the weights would need refining. */
export const MAX_NODES = 128;

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
// exp(-x^2/2) underflows to 0 near x = 38.6: nothing of either weight lies beyond 40.
const WEIGHT_END = 40;

function cached(build: (n: number) => QuadratureRule): (n: number) => QuadratureRule {
  const rules = new Map<number, QuadratureRule>();
  return (n) => {
    let rule = rules.get(n);
    if (!rule) {
      rule = build(n);
      rules.set(n, rule);
    }
    return rule;
  };
}

/**
 * Gauss-Hermite rule in the probabilists' form: sum_i w_i f(x_i) approximates E[f(z)] for
 * z ~ N(0, 1), exactly when f is a polynomial of degree below 2n. The monic probabilists'
 * Hermite polynomials satisfy He_{k+1} = x He_k - k He_{k-1}, so alpha_k = 0 and beta_k = k.
 */
export const gaussHermiteRule = cached((n) => {
  const alpha = new Float64Array(n);
  const beta = Float64Array.from({ length: n }, (_, k) => (k === 0 ? 1 : k));
  return gaussRule({ alpha, beta }, n);
});

/**
 * Half-range Gauss-Hermite rule: the Gauss rule of the standard normal density restricted to
 * [0, inf) (mass 1/2), so that E[f(z)] = sum_i w_i (f(x_i) + f(-x_i)) splits the line at 0
 * (Ball 2002, "Half-range generalized Hermite polynomials and the related Gaussian quadratures").
 * Its recurrence has no closed form; it is computed by the discretised Stieltjes procedure.
 */
export const halfRangeGaussianRule = cached((n) =>
  gaussRule(
    discretisedStieltjes((x) => INV_SQRT_2PI * Math.exp(-0.5 * x * x), n, WEIGHT_END),
    n,
  ),
);

/**
 * Gauss rule of the radial density r exp(-r^2 / 2) on [0, inf) (mass 1): the radius of a
 * standard normal pair, for two-dimensional expectations taken in polar coordinates.
 */
export const radialGaussianRule = cached((n) =>
  gaussRule(
    discretisedStieltjes((r) => r * Math.exp(-0.5 * r * r), n, WEIGHT_END),
    n,
  ),
);
