import { caught, expectClose, useCpu } from '@gradlab/testkit/helpers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { noLeak } from '../test-support.js';
import {
  clipGradsByGlobalNorm,
  clipGradsByGlobalNormChecked,
  clipGradsByNorm,
  clipGradsByValue,
} from './clip.js';

beforeAll(useCpu);

/** Gradients of a small two-layer model, as tf.variableGrads returns them. */
function sampleGrads(scale: number): { grads: tf.NamedTensorMap; dispose: () => void } {
  const [w1, b1, w2] = tf.tidy(() => [
    tf.variable(tf.randomNormal([5, 4], 0, 1, 'float32', 1)),
    tf.variable(tf.randomNormal([4], 0, 1, 'float32', 2)),
    tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', 3)),
  ]) as [tf.Variable, tf.Variable, tf.Variable];
  const x = tf.randomNormal([8, 5], 0, 1, 'float32', 4);
  const { value, grads } = tf.variableGrads(() =>
    tf.mul(scale, tf.sum(tf.square(tf.matMul(tf.tanh(tf.add(tf.matMul(x, w1), b1)), w2)))),
  );
  value.dispose();
  return {
    grads,
    dispose: () => tf.dispose([w1, b1, w2, x, ...Object.values(grads)]),
  };
}

async function values(map: tf.NamedTensorMap): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [k, t] of Object.entries(map)) out[k] = (await t.data()) as Float32Array;
  return out;
}

/** Float64 norms on the host. */
const norm = (xs: ArrayLike<number>) => Math.sqrt(Array.from(xs).reduce((s, v) => s + v * v, 0));
const globalNorm = (m: Record<string, Float32Array>) =>
  Math.sqrt(Object.values(m).reduce((s, v) => s + norm(v) ** 2, 0));
const flat = (m: Record<string, Float32Array>, keys: string[]) =>
  keys.flatMap((k) => Array.from(m[k] as Float32Array));

describe('clipGradsByGlobalNorm', () => {
  for (const [label, scale, maxNorm] of [
    ['above the threshold', 10, 1],
    ['below the threshold', 0.001, 1],
  ] as const) {
    it(`${label}: the global norm after is min(c, original) and the direction is unchanged`, async () => {
      const g = sampleGrads(scale);
      await noLeak(async () => {
        const { grads, norm: pre } = clipGradsByGlobalNorm(g.grads, maxNorm);
        const before = await values(g.grads);
        const after = await values(grads);
        const original = globalNorm(before);
        expectClose((await pre.data())[0] as number, original, 1e-6);
        expectClose(globalNorm(after), Math.min(maxNorm, original), 1e-6);
        const keys = Object.keys(before);
        expect(Object.keys(after)).toEqual(keys);
        const a = flat(before, keys);
        const b = flat(after, keys);
        const cos = a.reduce((s, v, i) => s + v * (b[i] as number), 0) / (norm(a) * norm(b));
        expectClose(cos, 1, 1e-6);
        if (original <= maxNorm) expect(b).toEqual(a);
        tf.dispose([pre, ...Object.values(grads)]);
      });
      g.dispose();
    });
  }

  it('leaves the input map alone and handles an empty map', async () => {
    const g = sampleGrads(10);
    const before = await values(g.grads);
    const r = clipGradsByGlobalNorm(g.grads, 0.5);
    expect(await values(g.grads)).toEqual(before);
    tf.dispose([r.norm, ...Object.values(r.grads)]);
    g.dispose();
    const empty = clipGradsByGlobalNorm({}, 1);
    expect(empty.grads).toEqual({});
    expect((await empty.norm.data())[0]).toBe(0);
    empty.norm.dispose();
  });
});

describe('clipGradsByValue', () => {
  it('puts every entry within [-v, v] and leaves unclipped entries unchanged', async () => {
    const g = sampleGrads(1);
    await noLeak(async () => {
      const v = 0.5;
      const clipped = clipGradsByValue(g.grads, v);
      const before = await values(g.grads);
      const after = await values(clipped);
      let clippedCount = 0;
      for (const k of Object.keys(before)) {
        const a = before[k] as Float32Array;
        const b = after[k] as Float32Array;
        a.forEach((x, i) => {
          const y = b[i] as number;
          expect(Math.abs(y)).toBeLessThanOrEqual(v);
          if (Math.abs(x) <= v) expect(y).toBe(x);
          else {
            clippedCount += 1;
            expect(y).toBe(Math.sign(x) * v);
          }
        });
      }
      expect(clippedCount).toBeGreaterThan(0); // the test clips something
      tf.dispose(Object.values(clipped));
    });
    g.dispose();
  });
});

describe('clipGradsByNorm', () => {
  it("makes each tensor's norm min(c, its own norm), keeping its direction", async () => {
    const g = sampleGrads(1);
    await noLeak(async () => {
      const before = await values(g.grads);
      const norms = Object.values(before)
        .map(norm)
        .sort((a, b) => a - b);
      // A threshold between the smallest and the largest tensor norm: some clipped, some not.
      const c = ((norms[0] as number) + (norms[norms.length - 1] as number)) / 2;
      const clipped = clipGradsByNorm(g.grads, c);
      const after = await values(clipped);
      tf.dispose(Object.values(clipped));
      expect(norms.filter((n) => n > c).length).toBeGreaterThan(0);
      for (const k of Object.keys(before)) {
        const a = before[k] as Float32Array;
        const b = after[k] as Float32Array;
        expectClose(norm(b), Math.min(c, norm(a)), 1e-6);
        const cos = Array.from(a).reduce((s, v, i) => s + v * (b[i] as number), 0);
        expectClose(cos / (norm(a) * norm(b)), 1, 1e-6);
      }
    });
    g.dispose();
  });
});

describe('clipGradsByGlobalNormChecked', () => {
  it('returns the clipped map and the pre-clip norm as a number', async () => {
    const g = sampleGrads(10);
    await noLeak(async () => {
      const expected = globalNorm(await values(g.grads));
      const { grads, norm: n } = await clipGradsByGlobalNormChecked(g.grads, 1);
      expectClose(n, expected, 1e-6);
      expectClose(globalNorm(await values(grads)), 1, 1e-6);
      tf.dispose(Object.values(grads));
    });
    g.dispose();
  });

  it('throws NON_FINITE_GRADIENT on a NaN/Inf norm, naming the culprit, and disposes what it made', async () => {
    const good = tf.ones([3]);
    const bad = tf.tensor1d([1, Number.NaN, 2]);
    const inf = tf.tensor1d([Number.POSITIVE_INFINITY]);
    for (const [grads, culprit] of [
      [{ good, bad }, 'bad'],
      [{ good, inf }, 'inf'],
    ] as const) {
      const e = await noLeak(() => caught(() => clipGradsByGlobalNormChecked(grads, 1)));
      expect(e.code).toBe('NON_FINITE_GRADIENT');
      expect(e.message).toContain(culprit);
      expect(e.message).not.toContain('good,');
    }
    // Finite entries whose squares overflow float32: the norm is computed scale-safely, so
    // it is the true 1e30 and the gradient is clipped, not refused.
    const huge = tf.tensor1d([1e30, -1e30]);
    const ok = await clipGradsByGlobalNormChecked({ huge }, 1);
    expect(Math.abs(ok.norm / (Math.SQRT2 * 1e30) - 1)).toBeLessThan(1e-6);
    expect(Array.from(await ok.grads.huge.data()).map((v) => v * Math.SQRT2)).toEqual([
      expect.closeTo(1, 5),
      expect.closeTo(-1, 5),
    ]);
    tf.dispose(Object.values(ok.grads));
    // Finite entries whose norm itself is beyond float32 (3.4e38).
    const beyond = tf.tensor1d([3e38, 3e38]);
    const e = await noLeak(() => caught(() => clipGradsByGlobalNormChecked({ beyond }, 1)));
    expect(e.code).toBe('NON_FINITE_GRADIENT');
    expect(e.message).toContain("beyond float32's range");
    // With errorIfNonFinite false it returns, whatever the norm.
    await noLeak(async () => {
      const r = await clipGradsByGlobalNormChecked({ good, bad }, 1, { errorIfNonFinite: false });
      expect(r.norm).toBeNaN();
      tf.dispose(Object.values(r.grads));
    });
    tf.dispose([good, bad, inf, huge, beyond]);
  });
});

describe('argument checks', () => {
  it('rejects a non-positive threshold and a map that is not one, naming the argument', async () => {
    const t = tf.ones([2]);
    for (const [fn, name] of [
      [() => clipGradsByValue({ t }, 0), 'limit'],
      [() => clipGradsByNorm({ t }, -1), 'maxNorm'],
      [() => clipGradsByGlobalNorm({ t }, Number.NaN), 'maxNorm'],
      [() => clipGradsByGlobalNorm([t] as unknown as tf.NamedTensorMap, 1), 'grads'],
      [() => clipGradsByValue({ t: 3 } as unknown as tf.NamedTensorMap, 1), 'grads["t"]'],
    ] as const) {
      const e = await noLeak(() => caught(fn));
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toContain(name);
    }
    t.dispose();
  });
});
