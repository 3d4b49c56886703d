import * as tf from '@tensorflow/tfjs-core';

/**
 * a @ b with a gradient that transposes explicitly and then multiplies plainly.
 *
 * tfjs's stock MatMul gradient calls matMul with transposeA/transposeB, which the WASM backend
 * runs about 10x slower than a plain matMul (its XNNPACK path only fuses the plain layout).
 * Transposing first is the same arithmetic, so the result matches the stock gradient to float
 * rounding, and on every backend a transpose costs far less than the matMul it feeds.
 */
const matMulExplicitGradImpl = tf.customGrad(((
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  save: tf.GradSaveFunc,
) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy)];
    },
  };
}) as unknown as (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
});

export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return matMulExplicitGradImpl(a, b) as tf.Tensor2D;
}
