import { describe, expect, test } from 'vitest';
import { deepLinearJacobianMoments } from './deep-linear.js';
import { type NormalSource, seededNormals } from './test-random.js';

// Plain row-major N x N matrices: the products the theory describes, computed directly.
type Square = Float64Array;

function gaussian(n: number, variance: number, rng: NormalSource): Square {
  const std = Math.sqrt(variance);
  return Float64Array.from({ length: n * n }, () => std * rng.normal());
}

function multiply(a: Square, b: Square, n: number): Square {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k] as number;
      for (let j = 0; j < n; j++)
        c[i * n + j] = (c[i * n + j] as number) + aik * (b[k * n + j] as number);
    }
  }
  return c;
}

function gram(j: Square, n: number): Square {
  const g = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (j[a * n + k] as number) * (j[b * n + k] as number);
      g[a * n + b] = s;
    }
  }
  return g;
}

/** log |det A| by Gaussian elimination with partial pivoting. */
function logAbsDet(matrix: Square, n: number): number {
  const a = Float64Array.from(matrix);
  let sum = 0;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(a[r * n + col] as number) > Math.abs(a[pivot * n + col] as number)) pivot = r;
    if (pivot !== col)
      for (let c = 0; c < n; c++)
        [a[col * n + c], a[pivot * n + c]] = [a[pivot * n + c] as number, a[col * n + c] as number];
    const p = a[col * n + col] as number;
    sum += Math.log(Math.abs(p));
    for (let r = col + 1; r < n; r++) {
      const f = (a[r * n + col] as number) / p;
      for (let c = col; c < n; c++)
        a[r * n + c] = (a[r * n + c] as number) - f * (a[col * n + c] as number);
    }
  }
  return sum;
}

/** Haar-like orthogonal matrix: Gram-Schmidt on the rows of a Gaussian matrix. */
function orthogonal(n: number, rng: NormalSource): Square {
  const q = gaussian(n, 1, rng);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      let dot = 0;
      for (let c = 0; c < n; c++) dot += (q[i * n + c] as number) * (q[k * n + c] as number);
      for (let c = 0; c < n; c++)
        q[i * n + c] = (q[i * n + c] as number) - dot * (q[k * n + c] as number);
    }
    let norm = 0;
    for (let c = 0; c < n; c++) norm += (q[i * n + c] as number) ** 2;
    for (let c = 0; c < n; c++) q[i * n + c] = (q[i * n + c] as number) / Math.sqrt(norm);
  }
  return q;
}

function traceOf(a: Square, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i * n + i] as number;
  return t;
}

function meanAndError(values: number[]): { mean: number; error: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, error: Math.sqrt(variance / values.length) };
}

describe('deepLinearJacobianMoments', () => {
  test('large-N limits: sigma^(2L), (L + 1) sigma^(4L), L sigma^(4L), L (log sigma^2 - 1), the Fuss-Catalan edge', () => {
    const m = deepLinearJacobianMoments(1.2, 3);
    expect(m.meanSquaredSingularValue).toBeCloseTo(1.2 ** 3, 14);
    expect(m.secondMoment).toBeCloseTo(4 * 1.2 ** 6, 13);
    expect(m.squaredSingularValueVariance).toBeCloseTo(3 * 1.2 ** 6, 13);
    expect(m.meanLogSquaredSingularValue).toBeCloseTo(3 * (Math.log(1.2) - 1), 14);
    expect(m.maxSquaredSingularValue).toBeCloseTo(1.2 ** 3 * (4 ** 4 / 27), 12);
    // One layer: Marchenko-Pastur with ratio 1, mean 1, second moment 2, edge 4.
    expect(deepLinearJacobianMoments(1, 1)).toMatchObject({
      secondMoment: 2,
      maxSquaredSingularValue: 4,
    });
  });

  test('the exact finite-width moments tend to the large-N limits', () => {
    const limit = deepLinearJacobianMoments(0.9, 5);
    const wide = deepLinearJacobianMoments(0.9, 5, { width: 1_000_000 });
    expect(wide.secondMoment / limit.secondMoment).toBeCloseTo(1, 5);
    expect(wide.squaredSingularValueVariance / limit.squaredSingularValueVariance).toBeCloseTo(
      1,
      5,
    );
    // The mean log converges like log(N) / N.
    for (const width of [1_000, 1_000_000]) {
      const gap =
        deepLinearJacobianMoments(0.9, 5, { width }).meanLogSquaredSingularValue -
        limit.meanLogSquaredSingularValue;
      expect(Math.abs(gap)).toBeLessThan((5 * Math.log(width)) / width);
      expect(Math.abs(gap)).toBeGreaterThan((0.1 * Math.log(width)) / width);
    }
    // One Wishart layer: E[(1/N) tr((W W^T)^2)] = 2 + 1/N exactly.
    expect(deepLinearJacobianMoments(1, 1, { width: 10 }).secondMoment).toBeCloseTo(2.1, 14);
  });

  test('Gaussian products at N = 24, depth 4: the moments of J J^T and log det match the exact predictions', () => {
    const n = 24;
    const depth = 4;
    const sigma2 = 1.1;
    const rng = seededNormals(11);
    const m1: number[] = [];
    const m2: number[] = [];
    const spread: number[] = [];
    const logs: number[] = [];
    for (let s = 0; s < 300; s++) {
      let j = gaussian(n, sigma2 / n, rng);
      let logDet = logAbsDet(j, n);
      for (let l = 1; l < depth; l++) {
        const w = gaussian(n, sigma2 / n, rng);
        logDet += logAbsDet(w, n);
        j = multiply(w, j, n);
      }
      const g = gram(j, n);
      const first = traceOf(g, n) / n;
      const second = traceOf(multiply(g, g, n), n) / n;
      m1.push(first);
      m2.push(second);
      spread.push(second - first * first);
      logs.push((2 * logDet) / n);
    }
    const exact = deepLinearJacobianMoments(sigma2, depth, { width: n });
    const checks: [number[], number][] = [
      [m1, exact.meanSquaredSingularValue],
      [m2, exact.secondMoment],
      [spread, exact.squaredSingularValueVariance],
      [logs, exact.meanLogSquaredSingularValue],
    ];
    for (const [values, predicted] of checks) {
      const { mean, error } = meanAndError(values);
      // Four standard errors: a false alarm about once in 16,000 runs (the seed is fixed).
      expect(Math.abs(mean - predicted)).toBeLessThan(4 * error);
    }
  });

  test('the edge of the spectrum is where its Fuss-Catalan moments grow: m_(k+1) / m_k -> (L + 1)^(L + 1) / L^L', () => {
    const logFactorial = (n: number) => {
      let s = 0;
      for (let i = 2; i <= n; i++) s += Math.log(i);
      return s;
    };
    // m_k = binom((L + 1) k, k) / (L k + 1), the moments of the limiting spectrum (sigma = 1).
    const logMoment = (L: number, k: number) =>
      logFactorial((L + 1) * k) - logFactorial(k) - logFactorial(L * k) - Math.log(L * k + 1);
    for (const L of [1, 2, 5]) {
      expect(Math.exp(logMoment(L, 2))).toBeCloseTo(
        deepLinearJacobianMoments(1, L).secondMoment,
        9,
      );
      const growth = Math.exp(logMoment(L, 2001) - logMoment(L, 2000));
      expect(growth / deepLinearJacobianMoments(1, L).maxSquaredSingularValue).toBeCloseTo(1, 2);
    }
  });

  test('orthogonal layers: every singular value is exactly sigma^L, at any depth', () => {
    const n = 16;
    const rng = seededNormals(5);
    const gain2 = 1.3;
    let j: Square = orthogonal(n, rng).map((x) => x * Math.sqrt(gain2));
    for (let l = 1; l < 6; l++)
      j = multiply(
        orthogonal(n, rng).map((x) => x * Math.sqrt(gain2)),
        j,
        n,
      );
    const g = gram(j, n);
    const expected = deepLinearJacobianMoments(gain2, 6, { init: 'orthogonal', width: n });
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        expect(g[a * n + b] as number).toBeCloseTo(
          a === b ? expected.meanSquaredSingularValue : 0,
          11,
        );
      }
    }
    expect(expected.squaredSingularValueVariance).toBe(0);
    expect(expected.secondMoment).toBeCloseTo(gain2 ** 12, 12);
  });

  test('bad sigma2, depth, width or init are refused', () => {
    expect(() => deepLinearJacobianMoments(0, 3)).toThrow(
      /sigma2 is 0; expected a finite number > 0/,
    );
    expect(() => deepLinearJacobianMoments(1, -1)).toThrow(/depth is -1/);
    expect(() => deepLinearJacobianMoments(1, 2, { width: 0 })).toThrow(/width is 0/);
    expect(() => deepLinearJacobianMoments(1, 2, { init: 'identity' as never })).toThrow(
      /init is identity/,
    );
  });
});
