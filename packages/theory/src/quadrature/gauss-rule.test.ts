import { describe, expect, test } from 'vitest';
import { gaussLegendreRule, gaussRule } from './gauss-rule.js';
import { gaussHermiteRule, halfRangeGaussianRule, radialGaussianRule } from './gaussian-rules.js';
import { tridiagonalEigenvalues } from './tridiagonal-eigenvalues.js';

function gamma(x: number): number {
  // Gamma at positive integers and half-integers, exactly by the recurrence.
  let value = Number.isInteger(x) ? 1 : Math.sqrt(Math.PI);
  for (let y = Number.isInteger(x) ? 1 : 0.5; y < x - 1e-9; y += 1) value *= y;
  return value;
}

function ruleSum(rule: { nodes: Float64Array; weights: Float64Array }, f: (x: number) => number) {
  let s = 0;
  for (let i = 0; i < rule.nodes.length; i++)
    s += (rule.weights[i] as number) * f(rule.nodes[i] as number);
  return s;
}

describe('tridiagonalEigenvalues', () => {
  test('the second-difference matrix has eigenvalues 2 - 2 cos(k pi / (n + 1))', () => {
    const n = 40;
    const values = tridiagonalEigenvalues(new Array(n).fill(2), new Array(n - 1).fill(-1));
    const expected = Array.from(
      { length: n },
      (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)),
    );
    expected.sort((a, b) => a - b);
    for (let k = 0; k < n; k++) expect(values[k]).toBeCloseTo(expected[k] as number, 13);
  });

  test('a 1 x 1 matrix is its own eigenvalue, and a decoupled matrix splits', () => {
    expect([...tridiagonalEigenvalues([3], [])]).toEqual([3]);
    expect([...tridiagonalEigenvalues([5, -1, 2], [0, 0])]).toEqual([-1, 2, 5]);
  });
});

describe('Gauss rules', () => {
  test('Gauss-Legendre with 3 nodes: 0, +-sqrt(3/5), weights 8/9 and 5/9', () => {
    const { nodes, weights } = gaussLegendreRule(3);
    expect(nodes[0]).toBeCloseTo(-Math.sqrt(0.6), 15);
    expect(nodes[1]).toBeCloseTo(0, 15);
    expect(nodes[2]).toBeCloseTo(Math.sqrt(0.6), 15);
    expect(weights[0]).toBeCloseTo(5 / 9, 15);
    expect(weights[1]).toBeCloseTo(8 / 9, 15);
  });

  test('Gauss-Hermite (probabilists) with 2 and 3 nodes: +-1 with 1/2; 0 and +-sqrt(3) with 2/3 and 1/6', () => {
    const two = gaussHermiteRule(2);
    expect([...two.nodes].map((x) => Math.round(x * 1e14) / 1e14)).toEqual([-1, 1]);
    expect(two.weights[0]).toBeCloseTo(0.5, 15);
    const three = gaussHermiteRule(3);
    expect(three.nodes[2]).toBeCloseTo(Math.sqrt(3), 14);
    expect(three.nodes[1]).toBeCloseTo(0, 14);
    expect(three.weights[1]).toBeCloseTo(2 / 3, 14);
    expect(three.weights[0]).toBeCloseTo(1 / 6, 14);
  });

  test('n-point Gauss-Hermite integrates z^k exactly up to k = 2n - 1: E[z^2m] = (2m - 1)!!', () => {
    for (const n of [5, 20, 64]) {
      const rule = gaussHermiteRule(n);
      let doubleFactorial = 1;
      for (let k = 0; k < 2 * n; k += 2) {
        if (k > 0) doubleFactorial *= k - 1;
        expect(ruleSum(rule, (z) => z ** k) / doubleFactorial - 1).toBeCloseTo(0, 11);
        // Odd moments vanish: to rounding relative to the even moment beside them.
        expect(
          Math.abs(ruleSum(rule, (z) => z ** (k + 1))) / (doubleFactorial * (k + 1)),
        ).toBeLessThan(1e-12);
      }
      // Past 2n - 1 it is not: its nodes are the roots of He_n and E[He_n^2] = n!, so the rule
      // gives E[z^2n] - n! = (2n - 1)!! - n!.
      if (n <= 20) {
        let nFactorial = 1;
        for (let i = 2; i <= n; i++) nFactorial *= i;
        const exact = doubleFactorial * (2 * n - 1);
        expect(ruleSum(rule, (z) => z ** (2 * n)) / (exact - nFactorial) - 1).toBeCloseTo(0, 11);
      }
    }
  });

  test('the half-range rule integrates z^k exactly against the normal density on [0, inf)', () => {
    for (const n of [8, 64, 128]) {
      const rule = halfRangeGaussianRule(n);
      // Up to degree 2n - 1, or 150 where Gamma would overflow.
      for (const k of [0, 1, 2, 3, 7, n, Math.min(2 * n - 1, 150)]) {
        // E[z^k; z > 0] = 2^(k/2) Gamma((k + 1) / 2) / (2 sqrt(pi))
        const exact = (2 ** (k / 2) * gamma((k + 1) / 2)) / (2 * Math.sqrt(Math.PI));
        expect(ruleSum(rule, (z) => z ** k) / exact - 1).toBeCloseTo(0, 12);
      }
      expect(Math.min(...rule.nodes)).toBeGreaterThan(0);
    }
  });

  test('the radial rule integrates r^k exactly against r exp(-r^2/2): E[r^k] = 2^(k/2) Gamma(1 + k/2)', () => {
    for (const n of [8, 64]) {
      const rule = radialGaussianRule(n);
      for (const k of [0, 1, 2, 5, 2 * n - 1]) {
        const exact = 2 ** (k / 2) * gamma(1 + k / 2);
        expect(ruleSum(rule, (r) => r ** k) / exact - 1).toBeCloseTo(0, 12);
      }
    }
  });

  test('a rule asked for more nodes than its recurrence has is refused', () => {
    expect(() => gaussRule({ alpha: [0, 0], beta: [1, 1] }, 3)).toThrow(
      /3 recurrence coefficients/,
    );
  });
});
