import * as tf from '@tensorflow/tfjs-core';
import { scaledNorm } from '../diagnostics/scaled-norm.js';

/**
 * Optional kernels a tfjs backend may register, under these names, to run one of gradlab's hot
 * paths as one kernel instead of many. tfjs looks kernels up by name for the active backend;
 * where a backend has none of these, gradlab runs the composite ops that define them, so every
 * backend gives the same numbers to float rounding. docs/adding-a-backend.md lists them.
 */

/**
 * GradlabSquareSums: inputs, any number of float32 tensors of any shapes (as an array, like
 * Concat's); output, a float32 tensor of shape [count] holding each input's sum of squares.
 * Defined by `stack(inputs.map((t) => sum(square(t))))`. An implementation may accumulate in
 * higher precision: the training step's trust test on the sums (gradient-squares.ts) only
 * needs a sum that is at least as exact as float32's.
 */
export const SQUARE_SUMS_KERNEL = 'GradlabSquareSums';

/**
 * GradlabL2Norms: inputs, any number of float32 tensors; output, a float32 tensor of shape
 * [count] holding each input's L2 norm, exact at any scale (diagnostics/norm.ts says why
 * sqrt(sum(x^2)) in float32 is not): 0 only for an all-zero tensor, NaN with a NaN entry,
 * Infinity with an infinite one. Defined by `stack(inputs.map(l2Norm))`; a backend may
 * accumulate the squares in float64 instead, where no float32 square underflows or overflows.
 */
export const L2_NORMS_KERNEL = 'GradlabL2Norms';

/**
 * GradlabDenseGrad: the gradient of y = act(x @ kernel + bias) (a dense layer run as one
 * _FusedMatMul). Inputs { dy [b, n], x [b, k], kernel [k, n], y [b, n] }; attrs { activation:
 * one of tfjs's fused activations 'linear' | 'relu' | 'sigmoid' | 'elu' | 'leakyrelu', alpha:
 * leakyrelu's slope, inputGradient: false to skip dx }; outputs [dx [b, k], dkernel [k, n],
 * dbias [n]], or [dkernel, dbias] without the input gradient. Defined by
 * dz = dy * act'(y), dx = dz @ kernel^T, dkernel = x^T @ dz, dbias = sum of dz over rows
 * (model/dense.ts has the composite).
 */
export const DENSE_GRAD_KERNEL = 'GradlabDenseGrad';

/**
 * GradlabSgdUpdate: plain SGD's whole update in one kernel. Inputs, 2N float32 tensors as an
 * array: N variable values, then their N gradients (same shapes, pairwise); attrs { lr };
 * outputs, N tensors: value + (-lr) * gradient, rounded as tfjs's SGD rounds it (the product,
 * then the sum, in float32; no fused multiply-add). train/optimizer.ts has the fallback.
 */
export const SGD_UPDATE_KERNEL = 'GradlabSgdUpdate';

/** Whether the active backend registers `kernelName`. */
export function hasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/** Each tensor's L2 norm, exact at any scale, as a [count] float32 tensor. */
export function l2Norms(tensors: readonly tf.Tensor[]): tf.Tensor1D {
  if (tensors.length > 0 && hasKernel(L2_NORMS_KERNEL)) {
    return tf
      .engine()
      .runKernel(L2_NORMS_KERNEL, tensors as unknown as tf.NamedTensorMap) as tf.Tensor1D;
  }
  return tf.tidy(() => tf.stack(tensors.map(scaledNorm)) as tf.Tensor1D);
}

/** Each tensor's sum of squares, as a [count] float32 tensor. */
export function squareSums(tensors: readonly tf.Tensor[]): tf.Tensor1D {
  if (tensors.length > 0 && hasKernel(SQUARE_SUMS_KERNEL)) {
    return tf
      .engine()
      .runKernel(SQUARE_SUMS_KERNEL, tensors as unknown as tf.NamedTensorMap) as tf.Tensor1D;
  }
  return tf.tidy(() => tf.stack(tensors.map((t) => tf.sum(tf.square(t)))) as tf.Tensor1D);
}
