import * as tf from '@tensorflow/tfjs-core';
import { kernelPreferences } from '../backends/kernel-preferences.js';

/**
 * a @ b, with a gradient shaped for the backend that runs it.
 *
 * tfjs's stock MatMul gradient calls matMul with transposeA/transposeB, which the WASM backend
 * runs about 10x slower than a plain matMul (its XNNPACK path only fuses the plain layout): on
 * backends that declare `explicitTransposeInMatMulGradient` the gradient transposes first and
 * then multiplies plainly. On the others (sgemm reads a transposed operand in place) the two
 * extra Transpose kernels per product would only cost time. Both are the same arithmetic.
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
      if (kernelPreferences().explicitTransposeInMatMulGradient) {
        return [tf.matMul(dy, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy)];
      }
      return [tf.matMul(dy, sb, false, true), tf.matMul(sa, dy, true, false)];
    },
  };
}) as unknown as (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
});

export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return matMulExplicitGradImpl(a, b) as tf.Tensor2D;
}
