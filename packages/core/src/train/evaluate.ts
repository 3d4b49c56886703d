import * as tf from '@tensorflow/tfjs-core';
import type { GradModel } from '../model/types.js';
import { batchAccuracy, computeLoss, type LossKind } from './loss.js';

const EVALUATION_SAMPLES = 1024;

/**
 * Loss and accuracy of the network in inference mode (BatchNorm on its running statistics) on
 * the first examples of the data set, in one read-back.
 */
export async function evaluate(
  model: GradModel,
  xAll: tf.Tensor,
  yAll: tf.Tensor,
  loss: LossKind,
  classification: boolean,
): Promise<{ loss: number; accuracy: number | null; samples: number }> {
  const n = Math.min(EVALUATION_SAMPLES, xAll.shape[0] as number);
  const summary = tf.tidy(() => {
    const x = tf.slice(xAll, 0, n);
    const y = tf.slice(yAll, 0, n);
    const { output } = model.forward(x, null, false, false);
    const parts = [computeLoss(loss, output, y)];
    if (classification) parts.push(batchAccuracy(output, y));
    return tf.stack(parts);
  });
  const values = await summary.data();
  summary.dispose();
  return {
    loss: values[0] as number,
    accuracy: classification ? (values[1] as number) : null,
    samples: n,
  };
}
