import * as tf from '@tensorflow/tfjs-core';
import { GradlabError } from '../errors.js';
import { initKernel } from '../model/init.js';
import { matMul } from '../model/matmul.js';
import type { GradModel } from '../model/types.js';
import { createRng } from '../random.js';
import type { PretrainingSpec } from '../spec/schema.js';
import { batchSampler } from './batches.js';

export interface PretrainedLayer {
  readonly layer: string;
  /** Reconstruction MSE on the first and on the last pre-training batch. */
  readonly firstLoss: number;
  readonly lastLoss: number;
  readonly steps: number;
}

/**
 * Greedy layer-wise pre-training (Hinton et al. 2006 with RBMs; Bengio et al. 2007 with
 * autoencoders, as here): hidden layer l is trained, alone, as the encoder of an autoencoder
 * that reconstructs the layer's input (the data passed through the already pre-trained layers
 * 0..l-1) through a linear decoder, by mean squared error with Adam. The decoders are thrown
 * away; fine-tuning of the whole network follows. Skip connections are ignored here.
 */
export async function pretrainLayers(
  model: GradModel,
  xAll: tf.Tensor,
  spec: PretrainingSpec,
  batchSize: number,
  seed: number,
  onStep: (layer: string, step: number, loss: number) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<PretrainedLayer[]> {
  const access = model.layerwise;
  if (!access)
    throw new GradlabError(
      'UNSUPPORTED_MODEL',
      `layer-wise pre-training needs an MLP, not a ${model.kind}`,
    );
  const rng = createRng(seed, 'pretrain/init');
  const nextBatch = batchSampler(seed + 1, xAll.shape[0] as number, batchSize);
  const results: PretrainedLayer[] = [];
  for (let l = 0; l < access.hiddenLayers; l++) {
    const name = model.layers[l]?.name ?? `dense${l + 1}`;
    const [inWidth, outWidth] = access.widths(l);
    // In a tidy: tf.variable copies its initial value, which must not outlive it.
    const [decoder, decoderBias] = tf.tidy(() => [
      tf.variable(
        tf.tensor2d(initKernel('xavier-uniform', outWidth, inWidth, rng), [outWidth, inWidth]),
        true,
        `${name}-pretrain-decoder-${Math.random()}`,
      ),
      tf.variable(tf.zeros([inWidth]), true, `${name}-pretrain-decoder-bias-${Math.random()}`),
    ]) as [tf.Variable, tf.Variable];
    const optimizer = tf.train.adam(spec.lr);
    const variables = [...access.variablesOf(l), decoder, decoderBias];
    let first = Number.NaN;
    let last = Number.NaN;
    try {
      for (let step = 1; step <= spec.stepsPerLayer; step++) {
        if (signal?.aborted) break;
        const lossTensor = tf.tidy(() => {
          const idx = tf.tensor1d(nextBatch(), 'int32');
          const input = access.inputOf(l, tf.gather(xAll, idx));
          const { value, grads } = tf.variableGrads(() => {
            const code = access.layer(l, input);
            const reconstruction = tf.add(
              matMul(code, decoder as tf.Tensor as tf.Tensor2D),
              decoderBias,
            );
            return tf.mean(tf.square(tf.sub(reconstruction, input))) as tf.Scalar;
          }, variables);
          optimizer.applyGradients(grads as unknown as Record<string, tf.Variable>);
          return value;
        });
        const loss = (await lossTensor.data())[0] as number;
        lossTensor.dispose();
        if (step === 1) first = loss;
        last = loss;
        await onStep(name, step, loss);
      }
    } finally {
      optimizer.dispose();
      decoder.dispose();
      decoderBias.dispose();
    }
    results.push({ layer: name, firstLoss: first, lastLoss: last, steps: spec.stepsPerLayer });
  }
  return results;
}
