import { createRng, GradlabError, initKernel } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { WidthFluctuationSettings } from './settings.js';

/**
 * log ||J(x) u||^2 for random networks with hidden widths `widths` (zero biases), random inputs
 * x ~ N(0, I) and random unit directions u, grouped by network. Each layer's kernel is drawn by
 * gradlab's own initKernel(init, fanIn, fanOut, rng), the weights a spec's `model.init` gives
 * (He: W ~ N(0, 2 / fanIn)); a kernel maps row vectors, h_l = a_{l-1} K_l. J u is the forward
 * tangent: u is pushed through the same layers as x, multiplied by x's ReLU masks
 * (t_l = (t_{l-1} K_l) * D_l). Network g draws its kernels, then its inputs, from its own
 * seeded stream, so its numbers do not depend on `chunk`, and every backend sees the same
 * networks. Networks run `chunk` at a time as batched matMuls on the active tfjs backend. A
 * sample whose tangent is exactly zero (a layer with every unit off) has no logarithm and is
 * left out; `zeros` counts them.
 */
export async function logTangentNorms(
  widths: readonly number[],
  sampling: WidthFluctuationSettings,
  stream: string,
  signal?: AbortSignal,
): Promise<{ byNetwork: number[][]; zeros: number }> {
  const { inputSize, networks, inputsPerNetwork: p, chunk, activation, init } = sampling;
  const fanIns = widths.map((_, l) => (l === 0 ? inputSize : (widths[l - 1] as number)));
  const byNetwork: number[][] = [];
  let zeros = 0;
  for (let first = 0; first < networks; first += chunk) {
    if (signal?.aborted) throw new GradlabError('RUN_CANCELLED', 'the study was cancelled');
    const c = Math.min(chunk, networks - first);
    const kernels = widths.map((n, l) => new Float32Array(c * (fanIns[l] as number) * n));
    const x = new Float32Array(c * p * inputSize);
    const u = new Float32Array(c * p * inputSize);
    for (let k = 0; k < c; k++) {
      const rng = createRng(sampling.seed, `${stream}/${first + k}`);
      widths.forEach((n, l) => {
        const fanIn = fanIns[l] as number;
        (kernels[l] as Float32Array).set(initKernel(init, fanIn, n, rng), k * fanIn * n);
      });
      for (let i = k * p * inputSize; i < (k + 1) * p * inputSize; i++) {
        x[i] = rng.normal();
        u[i] = rng.normal();
      }
    }
    const squaredNorms = tf.tidy(() => {
      let a: tf.Tensor = tf.tensor3d(x, [c, p, inputSize]);
      const u0 = tf.tensor3d(u, [c, p, inputSize]);
      let t: tf.Tensor = tf.div(u0, tf.sqrt(tf.sum(tf.square(u0), 2, true)));
      widths.forEach((n, l) => {
        const kernel = tf.tensor3d(kernels[l] as Float32Array, [c, fanIns[l] as number, n]);
        const h = tf.matMul(a, kernel);
        const g = tf.matMul(t, kernel);
        if (activation === 'relu') {
          a = tf.relu(h);
          t = tf.mul(g, tf.step(h));
        } else {
          a = h;
          t = g;
        }
      });
      return tf.sum(tf.square(t), 2); // [c, p]
    });
    const values = await squaredNorms.data();
    squaredNorms.dispose();
    for (let k = 0; k < c; k++) {
      const logs: number[] = [];
      for (let i = 0; i < p; i++) {
        const z = values[k * p + i] as number;
        if (z > 0 && Number.isFinite(z)) logs.push(Math.log(z));
        else zeros++;
      }
      byNetwork.push(logs);
    }
  }
  return { byNetwork, zeros };
}
