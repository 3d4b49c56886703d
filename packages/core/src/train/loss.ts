import * as tf from '@tensorflow/tfjs-core';

export type LossKind = 'mse' | 'softmax-cross-entropy';

/** Mean loss over the batch: MSE over all outputs, or softmax cross-entropy on logits. */
export function computeLoss(kind: LossKind, output: tf.Tensor2D, target: tf.Tensor): tf.Scalar {
  return kind === 'mse'
    ? tf.losses.meanSquaredError(target, output, undefined, tf.Reduction.MEAN)
    : tf.losses.softmaxCrossEntropy(target, output, undefined, 0, tf.Reduction.MEAN);
}

/** Fraction of the batch whose argmax of logits equals the one-hot target's. */
export function batchAccuracy(output: tf.Tensor2D, target: tf.Tensor): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.argMax(output, 1), tf.argMax(target, 1)), 'float32'));
}
