/** Models and data for the callback's tests (excluded from the build). */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * A dense net of `depth` layers on 8 inputs, 1 output, compiled with SGD and MSE. Sigmoid with
 * weights of std 0.05 is Glorot & Bengio's vanishing setting; ReLU with He initialisation is
 * the healthy one.
 */
export function denseNet(kind: 'vanishing' | 'healthy', depth: number, lr = 0.01): tfl.Sequential {
  const model = tfl.sequential();
  for (let i = 0; i < depth; i++) {
    const last = i === depth - 1;
    model.add(
      tfl.layers.dense({
        units: last ? 1 : 16,
        ...(i === 0 ? { inputShape: [8] } : {}),
        activation: last ? 'linear' : kind === 'vanishing' ? 'sigmoid' : 'relu',
        kernelInitializer:
          kind === 'vanishing'
            ? tfl.initializers.randomNormal({ mean: 0, stddev: 0.05, seed: 1 + i })
            : tfl.initializers.heNormal({ seed: 1 + i }),
        name: `dense${i + 1}`,
      }),
    );
  }
  model.compile({ optimizer: tf.train.sgd(lr), loss: 'meanSquaredError' });
  return model;
}

/** Seeded regression data: x ~ U(-1, 1), y = the sum of x. */
export function regressionData(samples: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomUniform([samples, 8], -1, 1, 'float32', 42) as tf.Tensor2D;
    return { x, y: tf.sum(x, 1, true) as tf.Tensor2D };
  });
}
