import * as tf from '@tensorflow/tfjs-core';
import { hasKernel, L2_NORMS_KERNEL, l2Norms } from '../backends/fused-kernels.js';
import { scaledNorm } from './scaled-norm.js';

/**
 * Scale-safe L2 norms on the device, for every norm gradlab reports or acts on: the
 * GradlabL2Norms kernel where the backend has one, the composite of scaled-norm.ts (which says
 * why sqrt(sum(x^2)) will not do) otherwise.
 */

/**
 * ||x||_2 of every entry of `x`, as a scalar tensor. 0 only when every entry is exactly 0;
 * NaN when an entry is NaN; Infinity when an entry is +-Infinity (as PyTorch's norm).
 */
export function l2Norm(x: tf.Tensor): tf.Scalar {
  if (x.size === 0 || !hasKernel(L2_NORMS_KERNEL)) return scaledNorm(x);
  return tf.tidy(() => tf.reshape(l2Norms([x]), []) as tf.Scalar);
}

/**
 * The L2 norm of several tensors taken together (the global norm of norm clipping) from their
 * own norms: sqrt(sum ||t_i||^2) is the norm of the vector of norms, computed scale-safely
 * like any other.
 */
export function normOfNorms(norms: readonly tf.Scalar[]): tf.Scalar {
  return tf.tidy(() => (norms.length === 0 ? tf.scalar(0) : l2Norm(tf.stack([...norms]))));
}

/** sqrt(sum ||t_i||^2) over every entry of every tensor. */
export function globalL2Norm(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (tensors.length === 0) return tf.scalar(0);
    if (!hasKernel(L2_NORMS_KERNEL)) return normOfNorms(tensors.map(l2Norm));
    return l2Norm(l2Norms(tensors));
  });
}

/**
 * Root mean square of `x` (the standard deviation of an already centred tensor), scale-safe
 * in the same way: ||x|| / sqrt(n).
 */
export function rootMeanSquare(x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(l2Norm(x), Math.sqrt(Math.max(x.size, 1))) as tf.Scalar);
}
