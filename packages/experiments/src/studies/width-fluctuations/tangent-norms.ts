import { createRng, GradlabError } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { TangentActivation } from './log-gain-theory.js';

export interface TangentSampling {
  /** n_0. */
  readonly inputSize: number;
  /** Independent random networks. */
  readonly networks: number;
  /** Random (x, u) pairs pushed through each network. */
  readonly inputsPerNetwork: number;
  /** Networks multiplied together in one batched matMul. */
  readonly chunk: number;
  readonly activation: TangentActivation;
  readonly seed: number;
}

/**
 * log ||J(x) u||^2 for random networks with hidden widths `widths` (He initialisation:
 * W_l ~ N(0, 2 / n_{l-1}), zero biases), random inputs x ~ N(0, I) and random unit directions
 * u, grouped by network. J u is the forward tangent: u is pushed through the same layers as x,
 * multiplied by x's ReLU masks (t_l = D_l W_l t_{l-1}). Networks run `chunk` at a time as
 * batched matMuls on the active tfjs backend; their weights are drawn on the host from
 * (seed, stream) so every backend sees the same networks. A sample whose tangent is exactly
 * zero (a layer with every unit off) has no logarithm and is left out; `zeros` counts them.
 */
export async function logTangentNorms(
  widths: readonly number[],
  sampling: TangentSampling,
  stream: string,
  signal?: AbortSignal,
): Promise<{ byNetwork: number[][]; zeros: number }> {
  const { inputSize, networks, inputsPerNetwork: p, chunk, activation } = sampling;
  const rng = createRng(sampling.seed, stream);
  const draw = (count: number, std: number) => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = std * rng.normal();
    return out;
  };
  const byNetwork: number[][] = [];
  let zeros = 0;
  for (let first = 0; first < networks; first += chunk) {
    if (signal?.aborted) throw new GradlabError('RUN_CANCELLED', 'the study was cancelled');
    const c = Math.min(chunk, networks - first);
    const layers = widths.map((n, l) => {
      const fanIn = l === 0 ? inputSize : (widths[l - 1] as number);
      return { n, fanIn, weights: draw(c * n * fanIn, Math.sqrt(2 / fanIn)) };
    });
    const x = draw(c * inputSize * p, 1);
    const u = draw(c * inputSize * p, 1);
    const squaredNorms = tf.tidy(() => {
      let a: tf.Tensor = tf.tensor3d(x, [c, inputSize, p]);
      const u0 = tf.tensor3d(u, [c, inputSize, p]);
      let t: tf.Tensor = tf.div(u0, tf.sqrt(tf.sum(tf.square(u0), 1, true)));
      for (const layer of layers) {
        const w = tf.tensor3d(layer.weights, [c, layer.n, layer.fanIn]);
        const h = tf.matMul(w, a);
        const g = tf.matMul(w, t);
        if (activation === 'relu') {
          a = tf.relu(h);
          t = tf.mul(g, tf.step(h));
        } else {
          a = h;
          t = g;
        }
      }
      return tf.sum(tf.square(t), 1); // [c, p]
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
