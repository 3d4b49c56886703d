import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** The probe batch: inputs and targets the callback measures the gradients on. */
export interface ProbeBatch {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
}

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * Captures the first training batch that `fit` feeds the model. A tfjs callback never sees the
 * batch itself (its logs hold only the loss and metrics), so for the one call of the first
 * batch this wraps the first layer's `apply` (which receives the inputs) and the loss function
 * (which receives the targets), keeps copies, and puts both back. The copies are kept out of
 * fit's tidy and are the caller's to dispose.
 */
export function captureFirstBatch(
  model: LayersModel,
  firstLayer: LayersModel['layers'][number],
): {
  /** Restores the model; returns the batch, or null if none was seen. */
  finish(): ProbeBatch | null;
} {
  const first = firstLayer as unknown as { apply: (...args: unknown[]) => unknown };
  const internals = model as unknown as { lossFunctions: LossFn[] };
  const originalApply = first.apply;
  const originalLoss = internals.lossFunctions[0] as LossFn;
  let x: tf.Tensor | null = null;
  let y: tf.Tensor | null = null;
  first.apply = function (this: unknown, ...args: unknown[]) {
    // fit's executor passes the layer's inputs as a list, one tensor here.
    const input = Array.isArray(args[0]) ? args[0][0] : args[0];
    if (x === null && input instanceof tf.Tensor) x = tf.keep(tf.clone(input));
    return originalApply.apply(this, args);
  };
  internals.lossFunctions[0] = (yTrue, yPred) => {
    if (y === null) y = tf.keep(tf.clone(yTrue));
    return originalLoss(yTrue, yPred);
  };
  return {
    finish() {
      first.apply = originalApply;
      internals.lossFunctions[0] = originalLoss;
      if (x && y) return { x, y };
      (x as tf.Tensor | null)?.dispose();
      (y as tf.Tensor | null)?.dispose();
      return null;
    },
  };
}
