import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../random.js';
import type { Activation, Initializer, MlpSpec } from '../spec/schema.js';
import { applyActivation } from './activations.js';
import { dense, fusable } from './dense.js';
import { initKernel } from './init.js';
import { matMul } from './matmul.js';
import {
  type CapturedActivation,
  type GradModel,
  type LayerGroup,
  type LayerwiseAccess,
  uniquePrefix,
} from './types.js';

const NORM_EPSILON = 1e-5;
/**
 * Running-statistics momentum of BatchNorm: running = 0.9 running + 0.1 batch, PyTorch's default.
 * (Keras keeps 0.99, which lags by hundreds of steps: too slow for runs of a few hundred.)
 */
const BN_MOMENTUM = 0.9;

function layerSetting<T>(setting: T | readonly T[], index: number): T {
  return Array.isArray(setting) ? (setting[index] as T) : (setting as T);
}

interface HiddenParams {
  readonly gamma: tf.Variable | null;
  readonly beta: tf.Variable | null;
  readonly runningMean: tf.Variable | null;
  readonly runningVar: tf.Variable | null;
  readonly alpha: tf.Variable | null;
  /** Projection of the block's skip path when the block changes the width. */
  readonly projection: tf.Variable | null;
}

/**
 * A multilayer perceptron: depth - 1 hidden layers, then a linear output layer.
 * Hidden layer: dense -> optional BatchNorm/LayerNorm -> activation.
 * - BatchNorm (Ioffe & Szegedy 2015) normalises each unit over the batch in training and keeps
 *   running averages (momentum 0.9) that inference uses instead; LayerNorm (Ba et al. 2016)
 *   normalises each example over its units, the same in training and inference.
 * - With `residual.every = k`, hidden layers 1.. are grouped in blocks of k and each block's
 *   input is added to its output (He et al. 2016): through the identity when the block keeps
 *   the width, through a learned linear projection (no bias) when it changes it.
 * - prelu layers learn one negative slope per unit, starting at `preluInit`.
 * - Biases start at zero unless `biasInit` says otherwise (one initialiser for every layer).
 */
export function buildMlp(
  spec: MlpSpec,
  inputSize: number,
  outputSize: number,
  seed: number,
): GradModel {
  const prefix = uniquePrefix('mlp');
  const rng = createRng(seed, 'init');
  // Biases draw from their own stream: adding a bias initialiser leaves the kernels bit-identical.
  const biasRng = createRng(seed, 'init/bias');
  const biasInit = spec.biasInit ?? 'zeros';
  const hidden = spec.depth - 1;
  const widthOf = (l: number): number => layerSetting<number>(spec.width, l);
  const fanInOf = (l: number): number => (l === 0 ? inputSize : widthOf(l - 1));
  const every = spec.residual?.every ?? 0;
  const blockStart = (l: number): boolean => every > 0 && l >= 1 && (l - 1) % every === 0;
  const blockEnd = (l: number): boolean => every > 0 && l >= 1 && l % every === 0;
  const layers: LayerGroup[] = [];
  const hiddenParams: HiddenParams[] = [];
  const stateVariables: tf.Variable[] = [];

  tf.tidy(() => {
    for (let l = 0; l < spec.depth; l++) {
      const fanIn = fanInOf(l);
      const fanOut = l === hidden ? outputSize : widthOf(l);
      const name = l === hidden ? 'output' : `dense${l + 1}`;
      const activation: Activation | null =
        l < hidden ? layerSetting<Activation>(spec.activation, l) : null;
      const slope =
        activation === 'leaky-relu' ? spec.leakyAlpha : activation === 'prelu' ? spec.preluInit : 0;
      const kernel = tf.variable(
        tf.tensor2d(
          initKernel(layerSetting<Initializer>(spec.init, l), fanIn, fanOut, rng, slope),
          [fanIn, fanOut],
        ),
        true,
        `${prefix}/${name}/kernel`,
      );
      const bias = tf.variable(
        biasInit === 'zeros'
          ? tf.zeros([fanOut])
          : tf.tensor1d(initKernel(biasInit, 1, fanOut, biasRng)),
        true,
        `${prefix}/${name}/bias`,
      );
      const extra: tf.Variable[] = [];
      const v = (t: tf.Tensor, part: string, trainable = true) => {
        const variable = tf.variable(t, trainable, `${prefix}/${name}/${part}`);
        if (trainable) extra.push(variable);
        else stateVariables.push(variable);
        return variable;
      };
      if (l < hidden) {
        const normed = spec.norm !== 'none';
        // The block that ends at layer l started at layer l - every + 1; its input width:
        const startIn = blockEnd(l) ? fanInOf(l - every + 1) : 0;
        hiddenParams.push({
          gamma: normed ? v(tf.ones([fanOut]), `${spec.norm}/gamma`) : null,
          beta: normed ? v(tf.zeros([fanOut]), `${spec.norm}/beta`) : null,
          runningMean:
            spec.norm === 'batchnorm'
              ? v(tf.zeros([fanOut]), 'batchnorm/running-mean', false)
              : null,
          runningVar:
            spec.norm === 'batchnorm' ? v(tf.ones([fanOut]), 'batchnorm/running-var', false) : null,
          alpha:
            activation === 'prelu' ? v(tf.fill([fanOut], spec.preluInit), 'prelu/alpha') : null,
          projection:
            blockEnd(l) && startIn !== fanOut
              ? v(
                  tf.tensor2d(initKernel('xavier-uniform', startIn, fanOut, rng), [
                    startIn,
                    fanOut,
                  ]),
                  'skip/projection',
                )
              : null,
        });
      }
      layers.push({ name, kernel, bias, extra, activation });
    }
  });
  const variables = layers.flatMap((g) => [g.kernel, ...(g.bias ? [g.bias] : []), ...g.extra]);

  /**
   * Hidden layer l: dense, normalisation, activation. Returns pre- and post-activation; with
   * `capture` false, a layer without normalisation whose activation fuses into the matMul runs
   * as one fused op (model/dense.ts) and its pre-activation is null.
   */
  const hiddenLayer = (
    l: number,
    h: tf.Tensor2D,
    training: boolean,
    updates: { variable: tf.Variable; value: tf.Tensor }[] | null,
    capture = true,
  ): { pre: tf.Tensor2D | null; post: tf.Tensor2D } => {
    const g = layers[l] as LayerGroup;
    const p = hiddenParams[l] as HiddenParams;
    if (!capture && spec.norm === 'none' && fusable(g.activation)) {
      const kernel = g.kernel as tf.Tensor as tf.Tensor2D;
      const bias = g.bias as tf.Tensor as tf.Tensor1D;
      // The first layer's input is the data: no gradient is wanted there.
      const post = dense(h, kernel, bias, g.activation, spec.leakyAlpha, { inputGradient: l > 0 });
      return { pre: null, post };
    }
    let z = tf.add(
      matMul(h, g.kernel as tf.Tensor as tf.Tensor2D),
      g.bias as tf.Variable,
    ) as tf.Tensor2D;
    if (spec.norm === 'layernorm' || (spec.norm === 'batchnorm' && training)) {
      const { mean, variance } = tf.moments(z, spec.norm === 'batchnorm' ? 0 : 1, true);
      if (spec.norm === 'batchnorm' && updates && p.runningMean && p.runningVar) {
        const n = z.shape[0];
        // Running variance uses the unbiased batch variance, as Keras and PyTorch do.
        const unbiased = tf.mul(variance, n > 1 ? n / (n - 1) : 1);
        updates.push(
          {
            variable: p.runningMean,
            value: tf.add(
              tf.mul(p.runningMean, BN_MOMENTUM),
              tf.mul(tf.reshape(mean, [-1]), 1 - BN_MOMENTUM),
            ),
          },
          {
            variable: p.runningVar,
            value: tf.add(
              tf.mul(p.runningVar, BN_MOMENTUM),
              tf.mul(tf.reshape(unbiased, [-1]), 1 - BN_MOMENTUM),
            ),
          },
        );
      }
      z = tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, NORM_EPSILON)));
    } else if (spec.norm === 'batchnorm') {
      z = tf.div(
        tf.sub(z, p.runningMean as tf.Variable),
        tf.sqrt(tf.add(p.runningVar as tf.Variable, NORM_EPSILON)),
      );
    }
    if (p.gamma && p.beta) z = tf.add(tf.mul(z, p.gamma), p.beta);
    const post = applyActivation(
      g.activation as Activation,
      z,
      spec.leakyAlpha,
      p.alpha ?? undefined,
    ) as tf.Tensor2D;
    return { pre: z, post };
  };

  const layerwise: LayerwiseAccess = {
    hiddenLayers: hidden,
    widths: (l) => [fanInOf(l), widthOf(l)],
    inputOf(l, x) {
      let h = x as tf.Tensor2D;
      for (let k = 0; k < l; k++) h = hiddenLayer(k, h, false, null, false).post;
      return h;
    },
    layer: (l, h) => hiddenLayer(l, h, true, null, false).post,
    variablesOf(l) {
      const g = layers[l] as LayerGroup;
      return [
        g.kernel,
        ...(g.bias ? [g.bias] : []),
        ...g.extra.filter((v) => v !== hiddenParams[l]?.projection),
      ];
    },
  };

  return {
    kind: 'mlp',
    skipConnections: every > 0,
    layers,
    variables,
    stateVariables,
    signalLabels: layers.slice(0, hidden).map((g) => g.name),
    probeShapes: (batch) => Array.from({ length: hidden }, (_, l) => [batch, widthOf(l)]),
    layerwise,
    forward(x, probes, training = true, capture = true) {
      let h = x as tf.Tensor2D;
      let skip: tf.Tensor2D | null = null;
      const captured: (CapturedActivation | null)[] = [];
      const stateUpdates: { variable: tf.Variable; value: tf.Tensor }[] = [];
      for (let l = 0; l < hidden; l++) {
        if (blockStart(l)) skip = h; // first layer of a block: remember the block's input
        const { pre, post } = hiddenLayer(l, h, training, training ? stateUpdates : null, capture);
        captured.push({ pre, post });
        let out = post;
        if (blockEnd(l) && skip) {
          const projection = (hiddenParams[l] as HiddenParams).projection;
          out = tf.add(
            out,
            projection ? matMul(skip, projection as tf.Tensor as tf.Tensor2D) : skip,
          );
        }
        const probe = probes?.[l];
        h = probe ? tf.add(out, probe) : out;
      }
      const last = layers[hidden] as LayerGroup;
      // The output layer is linear: nothing to capture, so it always runs fused.
      const output = dense(
        h,
        last.kernel as tf.Tensor as tf.Tensor2D,
        last.bias as tf.Tensor as tf.Tensor1D,
        null,
        0,
      );
      captured.push(null);
      return { output, captured, stateUpdates };
    },
    dispose() {
      for (const v of [...variables, ...stateVariables]) v.dispose();
    },
  };
}
