import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../random.js';
import type { Activation, Initializer, MlpSpec } from '../spec/schema.js';
import { applyActivation } from './activations.js';
import { initKernel } from './init.js';
import { matMul } from './matmul.js';
import { type CapturedActivation, type GradModel, type LayerGroup, uniquePrefix } from './types.js';

const NORM_EPSILON = 1e-5;

function layerSetting<T>(setting: T | readonly T[], index: number): T {
  return Array.isArray(setting) ? (setting[index] as T) : (setting as T);
}

/**
 * A multilayer perceptron: depth - 1 hidden layers of `width` units, then a linear output layer.
 * Hidden layer: dense -> optional BatchNorm/LayerNorm (batch statistics) -> activation.
 * With `residual.every = k`, hidden layers 1.. are grouped in blocks of k and each block's
 * input is added to its output (an identity skip, as in He et al. 2016's identity mappings), so
 * the gradient has a path that no layer multiplies.
 */
export function buildMlp(
  spec: MlpSpec,
  inputSize: number,
  outputSize: number,
  seed: number,
): GradModel {
  const prefix = uniquePrefix('mlp');
  const rng = createRng(seed, 'init');
  const hidden = spec.depth - 1;
  const layers: LayerGroup[] = [];
  tf.tidy(() => {
    for (let l = 0; l < spec.depth; l++) {
      const fanIn = l === 0 ? inputSize : spec.width;
      const fanOut = l === hidden ? outputSize : spec.width;
      const init = layerSetting<Initializer>(spec.init, l);
      const name = l === hidden ? 'output' : `dense${l + 1}`;
      const kernel = tf.variable(
        tf.tensor2d(initKernel(init, fanIn, fanOut, rng), [fanIn, fanOut]),
        true,
        `${prefix}/${name}/kernel`,
      );
      const bias = tf.variable(tf.zeros([fanOut]), true, `${prefix}/${name}/bias`);
      const extra: tf.Variable[] = [];
      if (l < hidden && spec.norm !== 'none') {
        extra.push(tf.variable(tf.ones([fanOut]), true, `${prefix}/${name}/${spec.norm}/gamma`));
        extra.push(tf.variable(tf.zeros([fanOut]), true, `${prefix}/${name}/${spec.norm}/beta`));
      }
      const activation: Activation | null =
        l < hidden ? layerSetting<Activation>(spec.activation, l) : null;
      layers.push({ name, kernel, bias, extra, activation });
    }
  });
  const variables = layers.flatMap((g) => [g.kernel, ...(g.bias ? [g.bias] : []), ...g.extra]);
  const every = spec.residual?.every ?? 0;

  return {
    kind: 'mlp',
    layers,
    variables,
    signalLabels: layers.slice(0, hidden).map((g) => g.name),
    probeShapes: (batch) => Array.from({ length: hidden }, () => [batch, spec.width]),
    forward(x, probes) {
      let h = x as tf.Tensor2D;
      let skip: tf.Tensor2D | null = null;
      const captured: (CapturedActivation | null)[] = [];
      for (let l = 0; l < spec.depth; l++) {
        const g = layers[l] as LayerGroup;
        let z = tf.add(
          matMul(h, g.kernel as tf.Tensor as tf.Tensor2D),
          g.bias as tf.Variable,
        ) as tf.Tensor2D;
        if (l === hidden) {
          captured.push(null);
          return { output: z, captured };
        }
        if (spec.norm !== 'none') {
          const axis = spec.norm === 'batchnorm' ? 0 : 1;
          const { mean, variance } = tf.moments(z, axis, true);
          const [gamma, beta] = g.extra as [tf.Variable, tf.Variable];
          z = tf.add(
            tf.mul(tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, NORM_EPSILON))), gamma),
            beta,
          );
        }
        const a = applyActivation(g.activation as Activation, z, spec.leakyAlpha) as tf.Tensor2D;
        captured.push({ pre: z, post: a });
        let out = a;
        if (every > 0 && l >= 1) {
          if ((l - 1) % every === 0) skip = h; // first layer of a block: remember its input
          if (l % every === 0 && skip) out = tf.add(out, skip);
        }
        const probe = probes?.[l];
        h = probe ? tf.add(out, probe) : out;
      }
      throw new Error('unreachable: the output layer returns');
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
