import { createRng } from '@gradlab/core';
import { describe, expect, test } from 'vitest';
import { TheoryArgumentError } from './invalid-argument.js';
import {
  frobeniusNorm,
  gaussianMatrix,
  haarOrthogonal,
  identity,
  type Matrix,
  matMul,
  matrix,
  qr,
  singularValues,
  solve,
  symmetricEigen,
  trace,
  transpose,
} from './linalg.js';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

function randomSymmetric(n: number, seed: number): Matrix {
  const g = gaussianMatrix(n, n, createRng(seed, 'symmetric'));
  const s = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      s.data[i * n + j] = ((g.data[i * n + j] as number) + (g.data[j * n + i] as number)) / 2;
    }
  }
  return s;
}

function column(m: Matrix, j: number): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j] as number);
}

function diag(values: readonly number[]): Matrix {
  const m = matrix(values.length, values.length);
  values.forEach((v, i) => {
    m.data[i * values.length + i] = v;
  });
  return m;
}

describe('matrix basics', () => {
  test('matMul multiplies rectangular matrices', () => {
    const a = matrix(2, 3, [1, 2, 3, 4, 5, 6]);
    const b = matrix(3, 2, [7, 8, 9, 10, 11, 12]);
    expect([...matMul(a, b).data]).toEqual([58, 64, 139, 154]);
    expect([...transpose(a).data]).toEqual([1, 4, 2, 5, 3, 6]);
    expect(trace(matMul(a, b))).toBe(212);
    expect(frobeniusNorm(matrix(1, 2, [3, 4]))).toBe(5);
  });

  test('solve inverts a pivoting-sensitive system', () => {
    // A zero in the top-left corner needs a row swap.
    const a = matrix(3, 3, [0, 2, 1, 1, 1, 1, 2, 1, 3]);
    const x = [1, -2, 3];
    const b = matMul(a, matrix(3, 1, x)).data;
    expect(maxAbsDiff(solve(a, b), x)).toBeLessThan(1e-14);
  });

  test('bad input names the field, the value and what is allowed', () => {
    expect(() => matrix(0, 2)).toThrow(/rows is 0; expected a positive integer/);
    expect(() => matrix(2, 2, [1, 2, 3])).toThrow(/values.length is 3; expected rows \* cols = 4/);
    expect(() => matMul(matrix(2, 3), matrix(2, 3))).toThrow(TheoryArgumentError);
    expect(() => symmetricEigen(matrix(2, 2, [1, 2, 3, 4]))).toThrow(/symmetric/);
    expect(() => solve(matrix(2, 2, [1, 2, 2, 4]), [1, 1])).toThrow(/singular/);
    expect(() => gaussianMatrix(2, 2, createRng(0), -1)).toThrow(/std is -1/);
    try {
      matrix(1.5, 2);
    } catch (e) {
      expect((e as TheoryArgumentError).code).toBe('INVALID_ARGUMENT');
      expect((e as TheoryArgumentError).field).toBe('rows');
    }
  });
});

describe('symmetricEigen (cyclic Jacobi)', () => {
  test('known spectra: a diagonal matrix and the 1-D Laplacian', () => {
    expect([...symmetricEigen(diag([3, -1, 2])).values]).toEqual([3, 2, -1]);
    // tridiag(-1, 2, -1) of size n has eigenvalues 2 - 2 cos(k pi / (n + 1)).
    const n = 8;
    const lap = matrix(n, n);
    for (let i = 0; i < n; i++) {
      lap.data[i * n + i] = 2;
      if (i > 0) lap.data[i * n + i - 1] = -1;
      if (i < n - 1) lap.data[i * n + i + 1] = -1;
    }
    const expected = Array.from(
      { length: n },
      (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)),
    ).sort((a, b) => b - a);
    expect(maxAbsDiff(symmetricEigen(lap).values, expected)).toBeLessThan(1e-13);
  });

  test.each([3, 10, 40])(
    'random symmetric matrix of size %i: A v = lambda v, trace and Frobenius identities',
    (n) => {
      const a = randomSymmetric(n, n);
      const { values, vectors } = symmetricEigen(a);
      const scale = frobeniusNorm(a);
      for (let j = 0; j < n; j++) {
        const v = column(vectors, j);
        const av = matMul(a, matrix(n, 1, v)).data;
        const lv = v.map((x) => x * (values[j] as number));
        expect(maxAbsDiff(av, lv)).toBeLessThan(1e-12 * scale);
      }
      // The eigenvectors are orthonormal: V^T V = I.
      expect(maxAbsDiff(matMul(transpose(vectors), vectors).data, identity(n).data)).toBeLessThan(
        1e-12,
      );
      const sum = values.reduce((s, x) => s + x, 0);
      const sumSquares = values.reduce((s, x) => s + x * x, 0);
      expect(Math.abs(sum - trace(a))).toBeLessThan(1e-12 * scale);
      expect(Math.abs(sumSquares - scale ** 2)).toBeLessThan(1e-12 * scale ** 2);
      for (let j = 1; j < n; j++) expect(values[j]).toBeLessThanOrEqual(values[j - 1] as number);
    },
  );
});

describe('singularValues (one-sided Jacobi)', () => {
  test('known values: U diag(s) V^T with orthogonal U, V, eight decades apart', () => {
    const rng = createRng(1, 'svd');
    const s = [100, 7, 1, 1e-3, 1e-6];
    const u = haarOrthogonal(5, rng);
    const v = haarOrthogonal(5, rng);
    const a = matMul(matMul(u, diag(s)), transpose(v));
    const got = singularValues(a);
    // Forming A rounds its entries by ~100 ulp(1), which moves s = 1e-6 by ~1e-8 relative:
    // Jacobi keeps that accuracy. The eigenvalues of A^T A (condition number 1e16) do not.
    s.forEach((x, i) => {
      expect(Math.abs((got[i] as number) - x) / x).toBeLessThan(1e-7);
    });
    const viaGram = symmetricEigen(matMul(transpose(a), a)).values;
    const smallest = Math.sqrt(Math.abs(viaGram[4] as number));
    expect(Math.abs(smallest - 1e-6) / 1e-6).toBeGreaterThan(1e-3);
  });

  test('rectangular (wide and tall) matrices: squares of the singular values are the eigenvalues of A A^T', () => {
    const rng = createRng(2, 'svd');
    for (const [rows, cols] of [
      [6, 4],
      [4, 6],
    ] as const) {
      const a = gaussianMatrix(rows, cols, rng);
      const s = singularValues(a);
      expect(s).toHaveLength(Math.min(rows, cols));
      const small = rows < cols ? matMul(a, transpose(a)) : matMul(transpose(a), a);
      const eig = symmetricEigen(small).values;
      expect(
        maxAbsDiff(
          s.map((x) => x * x),
          eig,
        ),
      ).toBeLessThan(1e-12 * (eig[0] as number));
      const sumSquares = s.reduce((t, x) => t + x * x, 0);
      expect(Math.abs(sumSquares - frobeniusNorm(a) ** 2)).toBeLessThan(1e-12 * sumSquares);
    }
  });

  test('a rank-deficient matrix has zero singular values', () => {
    const a = matrix(3, 3, [1, 2, 3, 2, 4, 6, 1, 0, 1]);
    const s = singularValues(a);
    expect(s[2]).toBeLessThan(1e-14);
    expect(s[1]).toBeGreaterThan(0.1);
  });
});

describe('qr and Haar-orthogonal matrices', () => {
  test('Q R reproduces A, Q has orthonormal columns, R is upper triangular', () => {
    const a = gaussianMatrix(7, 4, createRng(3, 'qr'));
    const { q, r } = qr(a);
    expect(maxAbsDiff(matMul(q, r).data, a.data)).toBeLessThan(1e-13);
    expect(maxAbsDiff(matMul(transpose(q), q).data, identity(4).data)).toBeLessThan(1e-14);
    for (let i = 0; i < 4; i++) for (let j = 0; j < i; j++) expect(r.data[i * 4 + j]).toBe(0);
  });

  test('haarOrthogonal is orthogonal and the same for the same seed', () => {
    const q = haarOrthogonal(32, createRng(4, 'haar'));
    expect(maxAbsDiff(matMul(transpose(q), q).data, identity(32).data)).toBeLessThan(1e-13);
    expect(maxAbsDiff(singularValues(q), new Float64Array(32).fill(1))).toBeLessThan(1e-13);
    expect([...haarOrthogonal(32, createRng(4, 'haar')).data]).toEqual([...q.data]);
  });

  test('the diagonal of a Haar matrix has mean 0 and E[q_ii^2] = 1/n; the unfixed Householder Q does not', () => {
    const n = 4;
    const samples = 2000;
    const rng = createRng(5, 'haar');
    const unfixedRng = createRng(5, 'haar');
    let sum = 0;
    let sumSquares = 0;
    let unfixedSum = 0;
    for (let k = 0; k < samples; k++) {
      const q = haarOrthogonal(n, rng);
      const unfixed = qr(gaussianMatrix(n, n, unfixedRng)).q;
      for (let i = 0; i < n; i++) {
        sum += q.data[i * n + i] as number;
        sumSquares += (q.data[i * n + i] as number) ** 2;
        unfixedSum += unfixed.data[i * n + i] as number;
      }
    }
    const count = samples * n;
    // Each q_ii has variance 1/n: the mean of `count` of them has standard error 1/sqrt(n count).
    const standardError = 1 / Math.sqrt(n * count);
    expect(Math.abs(sum / count)).toBeLessThan(4 * standardError);
    expect(Math.abs(sumSquares / count - 1 / n)).toBeLessThan(0.02);
    // Householder's reflections make the unfixed diagonal negative on average.
    expect(unfixedSum / count).toBeLessThan(-20 * standardError);
  });
});
