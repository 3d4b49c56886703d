/**
 * blas's GradlabSgdUpdate against tfjs's own SGD on the cpu backend: the same rounding (the
 * product, then the sum), so the same bits, and no tensor left behind.
 */
import { cpuBackend } from '@gradlab/backend-cpu';
import { createOptimizer, hasKernel, SGD_UPDATE_KERNEL } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { blasBackend } from './index.js';

const SHAPES = [[7, 13], [13], [1], [256, 256]];

function draw(seed: number, shape: number[]): Float32Array {
  // A fixed pseudo-random fill, with values across many binades so rounding matters.
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out[i] = ((s / 2 ** 31 - 0.5) * 10 ** ((s % 7) - 3)) as number;
  }
  return out;
}

async function stepOn(backend: 'cpu' | 'blas', lr: number): Promise<Float32Array[]> {
  if (backend === 'cpu') await cpuBackend.activate();
  else await blasBackend.activate();
  const initial = SHAPES.map((s, i) => tf.tensor(draw(i + 1, s), s));
  const vars = initial.map((t, i) => tf.variable(t, true, `sgd-${backend}-${i}`));
  const grads = SHAPES.map((s, i) => tf.tensor(draw(i + 101, s), s));
  // On cpu, tfjs's own SGD; on blas, gradlab's, which runs the fused kernel there.
  const optimizer = backend === 'cpu' ? tf.train.sgd(lr) : createOptimizer({ kind: 'sgd', lr });
  optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] as tf.Tensor })));
  const out = await Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
  optimizer.dispose();
  tf.dispose([...initial, ...vars, ...grads]);
  return out;
}

describe('GradlabSgdUpdate on blas', () => {
  beforeAll(async () => {
    await blasBackend.activate();
  });
  afterAll(async () => {
    await blasBackend.release();
  });

  test('is registered, and gives the bits of tfjs SGD on the cpu backend', async () => {
    await blasBackend.activate();
    expect(hasKernel(SGD_UPDATE_KERNEL)).toBe(true);
    for (const lr of [0.01, 0.3, 1e-5]) {
      const expected = await stepOn('cpu', lr);
      const before = tf.memory().numTensors;
      const actual = await stepOn('blas', lr);
      expect(tf.memory().numTensors).toBe(before);
      for (const [i, a] of actual.entries()) {
        expect(Array.from(a)).toEqual(Array.from(expected[i] as Float32Array));
      }
    }
  });

  test('refuses a gradient whose shape differs from its value, naming both', async () => {
    await blasBackend.activate();
    const v = tf.zeros([2, 3]);
    const g = tf.zeros([3, 2]);
    expect(() =>
      tf.engine().runKernel(SGD_UPDATE_KERNEL, [v, g] as unknown as tf.NamedTensorMap, { lr: 0.1 }),
    ).toThrow(/value 0 \(float32 \[2,3\]\).*\(float32 \[3,2\]\)/);
    tf.dispose([v, g]);
  });
});
