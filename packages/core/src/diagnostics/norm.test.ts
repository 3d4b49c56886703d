import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { clipByGlobalNorm, clipByNorm, clipTransform } from '../mitigate/clip.js';
import { memory, useCpu } from '../test-support.js';
import { globalL2Norm, l2Norm, rootMeanSquare } from './norm.js';
import { FLOAT32_MIN_NORMAL, normKind, normMarker } from './norm-kind.js';

beforeAll(useCpu);

/** Float64 norm of the float32 values actually uploaded, scaled so nothing over/underflows. */
function hostNorm(values: Float32Array): number {
  const m = values.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  if (m === 0) return 0;
  return m * Math.sqrt(values.reduce((s, v) => s + (v / m) ** 2, 0));
}

/** n deterministic values of magnitude about `scale`, of both signs. */
function values(n: number, scale: number, seed = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 2 * scale;
  });
}

const read = async (t: tf.Tensor): Promise<number> => {
  try {
    return (await t.data())[0] as number;
  } finally {
    t.dispose();
  }
};

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('scale-safe L2 norms', () => {
  for (const scale of [1e-25, 1e-30, 1, 1e25, 1e30]) {
    test(`values of about ${scale}: agrees with float64 to 1e-5`, async () => {
      const v = values(5000, scale);
      const t = tf.tensor2d(v, [50, 100]);
      const got = await read(l2Norm(t));
      const expected = hostNorm(v);
      expect(got).toBeGreaterThan(0);
      expect(Number.isFinite(got)).toBe(true);
      expect(rel(got, expected)).toBeLessThan(1e-5);
      t.dispose();
    });
  }

  test('the counterfactual: sqrt(sum(x^2)) gives 0 and Infinity on the same tensors', async () => {
    const small = tf.tensor1d(values(100, 1e-25));
    const large = tf.tensor1d(values(100, 1e25));
    expect(await read(tf.tidy(() => tf.sqrt(tf.sum(tf.square(small)))))).toBe(0);
    expect(await read(tf.tidy(() => tf.sqrt(tf.sum(tf.square(large)))))).toBe(Infinity);
    tf.dispose([small, large]);
  });

  test('exact zero, NaN, Infinity and an empty tensor', async () => {
    const cases: [number[], number][] = [
      [[0, 0, 0], 0],
      [[1, Number.NaN, 2], Number.NaN],
      [[1, Number.POSITIVE_INFINITY, 2], Number.POSITIVE_INFINITY],
      [[-1, Number.NEGATIVE_INFINITY], Number.POSITIVE_INFINITY],
      [[], 0],
    ];
    for (const [xs, expected] of cases) {
      const t = tf.tensor1d(xs);
      expect(await read(l2Norm(t)), JSON.stringify(xs)).toBe(expected);
      t.dispose();
    }
  });

  test('global norm over tensors of very different scales', async () => {
    const parts = [values(300, 1e-28, 2), values(40, 3e-20, 3), values(7, 1e-22, 4)];
    const tensors = parts.map((p) => tf.tensor1d(p));
    const all = new Float32Array(parts.flatMap((p) => Array.from(p)));
    const got = await read(globalL2Norm(tensors));
    expect(rel(got, hostNorm(all))).toBeLessThan(1e-5);
    // The tiny tensor still counts: its share is real, not rounded away by squaring.
    const tiny = await read(globalL2Norm([tensors[0] as tf.Tensor]));
    expect(rel(tiny, hostNorm(parts[0] as Float32Array))).toBeLessThan(1e-5);
    tf.dispose(tensors);
  });

  test('root mean square is ||x|| / sqrt(n), scale-safe', async () => {
    const v = values(400, 1e-24, 5);
    const t = tf.tensor1d(v);
    expect(rel(await read(rootMeanSquare(t)), hostNorm(v) / 20)).toBeLessThan(1e-5);
    t.dispose();
  });

  test('clipping acts on the true norm: tiny gradients are not clipped, huge ones are', async () => {
    const before = memory();
    const small = [tf.tensor1d(values(50, 1e-25)), tf.tensor1d(values(20, 1e-26, 9))];
    const large = [tf.tensor1d(values(50, 1e25)), tf.tensor1d(values(20, 1e24, 9))];
    const smallAll = new Float32Array([
      ...((await small[0]?.data()) ?? []),
      ...((await small[1]?.data()) ?? []),
    ]);
    const t = clipTransform({ kind: 'global-norm', maxNorm: 1, errorIfNonFinite: false });
    const r = t.apply(small, [], 1);
    const pre = r.telemetry?.preNorm as tf.Scalar;
    expect(rel(await read(pre), hostNorm(smallAll))).toBeLessThan(1e-5);
    expect(await read(r.telemetry?.clipped as tf.Scalar)).toBe(0);
    expect(await read(r.telemetry?.postNorm as tf.Scalar)).toBeGreaterThan(0);
    tf.dispose(r.grads);

    // Naively the squares overflow to Infinity and the scale maxNorm / Inf zeroes the update.
    const g = clipByGlobalNorm(large, 1);
    expect(rel(await read(globalL2Norm(g.grads)), 1)).toBeLessThan(1e-5);
    expect(await read(g.norm)).toBeGreaterThan(1e25);
    tf.dispose(g.grads);
    const each = clipByNorm(large, 2);
    for (const c of each) expect(rel(await read(l2Norm(c)), 2)).toBeLessThan(1e-5);
    tf.dispose(each);
    tf.dispose([...small, ...large]);
    expect(memory()).toEqual(before);
  });
});

describe('norm kinds', () => {
  test('zero, subnormal, finite and non-finite are told apart', () => {
    expect(normKind(0)).toBe('zero');
    expect(normKind(1e-40)).toBe('subnormal');
    expect(normKind(FLOAT32_MIN_NORMAL)).toBe('finite');
    expect(normKind(3e-27)).toBe('finite');
    expect(normKind(Number.NaN)).toBe('non-finite');
    expect(normKind(Number.POSITIVE_INFINITY)).toBe('non-finite');
    expect(normMarker(3e-27)).toBeNull();
    expect(normMarker(0)).toMatch(/exact/);
    expect(normMarker(1e-40)).toMatch(/below float32/);
    expect(normMarker(Number.NaN)).toBe('NaN');
  });
});
