/**
 * Small dense linear algebra on the host, in float64: what a study needs to look at a Jacobian
 * it computed on a tfjs backend (its singular values) and to draw random and orthogonal
 * matrices from a seeded generator. Matrices are row-major Float64Arrays; sizes are those of a
 * network layer (up to a few hundred), where O(n^3) Jacobi methods are fast and accurate.
 */
import { invalidArgument } from './invalid-argument.js';

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major: entry (i, j) is data[i * cols + j]. */
  readonly data: Float64Array;
}

/** Any seeded source of standard normal numbers (the `Rng` of @gradlab/core is one). */
export interface NormalSource {
  normal(): number;
}

function checkSize(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw invalidArgument(field, value, 'a positive integer');
  }
}

/** A rows x cols matrix, zero-filled or copied from `values` (row-major). */
export function matrix(rows: number, cols: number, values?: ArrayLike<number>): Matrix {
  checkSize('rows', rows);
  checkSize('cols', cols);
  const data = new Float64Array(rows * cols);
  if (values !== undefined) {
    if (values.length !== rows * cols) {
      throw invalidArgument(
        'values.length',
        values.length,
        `rows * cols = ${rows * cols} numbers, row-major`,
      );
    }
    data.set(values);
  }
  return { rows, cols, data };
}

export function identity(n: number): Matrix {
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

export function transpose(a: Matrix): Matrix {
  const t = matrix(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j] as number;
  }
  return t;
}

export function matMul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) {
    throw invalidArgument(
      'b.rows',
      b.rows,
      `the number of columns of the left factor (${a.rows}x${a.cols} times ${b.rows}x${b.cols})`,
    );
  }
  const out = matrix(a.rows, b.cols);
  const { data: c } = out;
  // i-k-j order walks both b and the output row by row (contiguous memory).
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k] as number;
      if (aik === 0) continue;
      const bRow = k * b.cols;
      const cRow = i * b.cols;
      for (let j = 0; j < b.cols; j++) {
        c[cRow + j] = (c[cRow + j] as number) + aik * (b.data[bRow + j] as number);
      }
    }
  }
  return out;
}

export function trace(a: Matrix): number {
  const n = Math.min(a.rows, a.cols);
  let t = 0;
  for (let i = 0; i < n; i++) t += a.data[i * a.cols + i] as number;
  return t;
}

export function frobeniusNorm(a: Matrix): number {
  let s = 0;
  for (const v of a.data) s += v * v;
  return Math.sqrt(s);
}

/**
 * The solution x of A x = b for a square, non-singular A, by Gaussian elimination with partial
 * pivoting. Throws when a pivot is zero to working precision (A is singular).
 */
export function solve(a: Matrix, b: ArrayLike<number>): Float64Array {
  const n = a.rows;
  if (a.cols !== n) throw invalidArgument('a', `${a.rows}x${a.cols}`, 'a square matrix');
  if (b.length !== n) throw invalidArgument('b.length', b.length, `${n}, the size of a`);
  const m = Float64Array.from(a.data);
  const x = Float64Array.from(b);
  const scale = Math.max(...m.map(Math.abs)) || 1;
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) {
      if (Math.abs(m[i * n + k] as number) > Math.abs(m[pivot * n + k] as number)) pivot = i;
    }
    const p = m[pivot * n + k] as number;
    if (Math.abs(p) <= Number.EPSILON * n * scale) {
      throw invalidArgument('a', 'singular to working precision', 'a non-singular matrix');
    }
    if (pivot !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j] as number;
        m[k * n + j] = m[pivot * n + j] as number;
        m[pivot * n + j] = t;
      }
      const t = x[k] as number;
      x[k] = x[pivot] as number;
      x[pivot] = t;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (m[i * n + k] as number) / p;
      if (f === 0) continue;
      for (let j = k; j < n; j++)
        m[i * n + j] = (m[i * n + j] as number) - f * (m[k * n + j] as number);
      x[i] = (x[i] as number) - f * (x[k] as number);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let j = i + 1; j < n; j++) s -= (m[i * n + j] as number) * (x[j] as number);
    x[i] = s / (m[i * n + i] as number);
  }
  return x;
}

export interface JacobiOptions {
  /** Stop when the off-diagonal mass is below tolerance times the matrix norm. */
  readonly tolerance?: number;
  readonly maxSweeps?: number;
}

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /** Column j is the unit eigenvector of values[j]. */
  readonly vectors: Matrix;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by the cyclic Jacobi method (Golub & Van
 * Loan 2013, section 8.5): each rotation zeroes one off-diagonal pair, and sweeps over all
 * pairs converge quadratically. Slower than QR iteration for large n but simple, and accurate
 * to a few ulps of the largest eigenvalue.
 */
export function symmetricEigen(a: Matrix, options: JacobiOptions = {}): SymmetricEigen {
  if (a.rows !== a.cols) {
    throw invalidArgument('a', `${a.rows}x${a.cols}`, 'a square (symmetric) matrix');
  }
  const n = a.rows;
  const tolerance = options.tolerance ?? 1e-14;
  const maxSweeps = options.maxSweeps ?? 100;
  const m = Float64Array.from(a.data);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const x = m[i * n + j] as number;
      const y = m[j * n + i] as number;
      if (Math.abs(x - y) > 1e-12 * (Math.abs(x) + Math.abs(y) + Number.MIN_VALUE)) {
        throw invalidArgument(`a[${i}][${j}]`, x, `a symmetric matrix (a[${j}][${i}] is ${y})`);
      }
    }
  }
  const v = identity(n).data;
  const scale = frobeniusNorm(a) || 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) off += 2 * (m[p * n + q] as number) ** 2;
    }
    if (Math.sqrt(off) <= tolerance * scale) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q] as number;
        if (apq === 0) continue;
        const app = m[p * n + p] as number;
        const aqq = m[q * n + q] as number;
        // The smaller of the two rotation angles that zero a_pq (Golub & Van Loan, sym.schur2).
        const tau = (aqq - app) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        rotateColumns(m, n, n, p, q, c, s);
        rotateRows(m, n, p, q, c, s);
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        rotateColumns(v, n, n, p, q, c, s);
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => (m[j * n + j] as number) - (m[i * n + i] as number),
  );
  const values = Float64Array.from(order, (i) => m[i * n + i] as number);
  const vectors = matrix(n, n);
  order.forEach((from, to) => {
    for (let r = 0; r < n; r++) vectors.data[r * n + to] = v[r * n + from] as number;
  });
  return { values, vectors };
}

/** Columns p, q of a rows x cols row-major array times [[c, s], [-s, c]]. */
function rotateColumns(
  m: Float64Array,
  rows: number,
  cols: number,
  p: number,
  q: number,
  c: number,
  s: number,
): void {
  for (let k = 0; k < rows; k++) {
    const xp = m[k * cols + p] as number;
    const xq = m[k * cols + q] as number;
    m[k * cols + p] = c * xp - s * xq;
    m[k * cols + q] = s * xp + c * xq;
  }
}

/** Rows p, q of an n x n row-major array times the transpose of the same rotation. */
function rotateRows(m: Float64Array, n: number, p: number, q: number, c: number, s: number): void {
  for (let k = 0; k < n; k++) {
    const xp = m[p * n + k] as number;
    const xq = m[q * n + k] as number;
    m[p * n + k] = c * xp - s * xq;
    m[q * n + k] = s * xp + c * xq;
  }
}

/**
 * Singular values, largest first, by one-sided Jacobi (Hestenes 1958; Demmel & Veselic 1992):
 * plane rotations orthogonalise the columns of A in place and the singular values are the
 * final column norms. Unlike the eigenvalues of A^T A, which square the condition number and
 * lose every singular value below sqrt(machine epsilon) times the largest, this keeps small
 * singular values to high relative accuracy: the spectrum of a deep product spans many decades.
 */
export function singularValues(a: Matrix, options: JacobiOptions = {}): Float64Array {
  const tall = a.rows >= a.cols ? a : transpose(a);
  const m = tall.rows;
  const n = tall.cols;
  const tolerance = options.tolerance ?? 1e-15;
  const maxSweeps = options.maxSweeps ?? 100;
  // Columns stored contiguously: every rotation reads and writes two whole columns.
  const cols = Array.from({ length: n }, (_, j) => {
    const col = new Float64Array(m);
    for (let i = 0; i < m; i++) col[i] = tall.data[i * n + j] as number;
    return col;
  });
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const up = cols[p] as Float64Array;
      for (let q = p + 1; q < n; q++) {
        const uq = cols[q] as Float64Array;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = up[i] as number;
          const y = uq[i] as number;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= tolerance * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = up[i] as number;
          const y = uq[i] as number;
          up[i] = c * x - s * y;
          uq[i] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const values = Float64Array.from(cols, (col) => {
    let s = 0;
    for (const x of col) s += x * x;
    return Math.sqrt(s);
  });
  return values.sort().reverse();
}

export interface QR {
  /** m x n with orthonormal columns. */
  readonly q: Matrix;
  /** n x n upper triangular. */
  readonly r: Matrix;
}

/** Thin QR of an m x n matrix (m >= n) by Householder reflections (Golub & Van Loan 5.2). */
export function qr(a: Matrix): QR {
  const { rows: m, cols: n } = a;
  if (m < n) {
    throw invalidArgument('a', `${m}x${n}`, 'a matrix with at least as many rows as columns');
  }
  const w = Float64Array.from(a.data);
  const reflectors: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(m - k);
    let norm = 0;
    for (let i = k; i < m; i++) {
      v[i - k] = w[i * n + k] as number;
      norm += (w[i * n + k] as number) ** 2;
    }
    norm = Math.sqrt(norm);
    // Reflect x onto -sign(x0)|x| e1, the choice that avoids cancellation in v = x + sign(x0)|x| e1.
    const x0 = v[0] as number;
    v[0] = x0 + (x0 >= 0 ? norm : -norm);
    let vNorm = 0;
    for (const x of v) vNorm += x * x;
    vNorm = Math.sqrt(vNorm);
    if (vNorm > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / vNorm;
    reflectors.push(v);
    applyReflector(w, m, n, k, k, v);
  }
  const r = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) r.data[i * n + j] = w[i * n + j] as number;
  }
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity, last reflector first.
  const q = matrix(m, n);
  for (let i = 0; i < n; i++) q.data[i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--)
    applyReflector(q.data, m, n, k, 0, reflectors[k] as Float64Array);
  return { q, r };
}

/** Rows k.. of columns c0.. of an m x n array times (I - 2 v v^T). */
function applyReflector(
  w: Float64Array,
  m: number,
  n: number,
  k: number,
  c0: number,
  v: Float64Array,
): void {
  for (let j = c0; j < n; j++) {
    let dot = 0;
    for (let i = k; i < m; i++) dot += (v[i - k] as number) * (w[i * n + j] as number);
    if (dot === 0) continue;
    for (let i = k; i < m; i++)
      w[i * n + j] = (w[i * n + j] as number) - 2 * dot * (v[i - k] as number);
  }
}

/** A rows x cols matrix of independent N(0, std^2) entries from `rng`, row by row. */
export function gaussianMatrix(rows: number, cols: number, rng: NormalSource, std = 1): Matrix {
  if (!(std >= 0) || !Number.isFinite(std)) {
    throw invalidArgument('std', std, 'a finite number >= 0');
  }
  const g = matrix(rows, cols);
  for (let i = 0; i < g.data.length; i++) g.data[i] = std * rng.normal();
  return g;
}

/**
 * An n x n orthogonal matrix drawn from the Haar (uniform) measure: the Q of a Gaussian
 * matrix's QR with each column's sign set so that R has a positive diagonal. Without that sign
 * fix, Householder's sign convention biases the distribution (Mezzadri 2007).
 */
export function haarOrthogonal(n: number, rng: NormalSource): Matrix {
  const { q, r } = qr(gaussianMatrix(n, n, rng));
  for (let j = 0; j < n; j++) {
    if ((r.data[j * n + j] as number) >= 0) continue;
    for (let i = 0; i < n; i++) q.data[i * n + j] = -(q.data[i * n + j] as number);
  }
  return q;
}
