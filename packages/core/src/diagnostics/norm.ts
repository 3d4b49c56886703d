import * as tf from '@tensorflow/tfjs-core';

/**
 * Scale-safe L2 norms on the device, for every norm gradlab reports or acts on.
 *
 * sqrt(sum(x^2)) is wrong exactly where vanishing and exploding gradients live: in float32,
 * x^2 underflows to 0 for |x| < ~1e-19 and overflows to Infinity for |x| > ~1e19, although x
 * and its norm are representable from ~1e-38 to ~3e38. So the norm is taken as
 * m * sqrt(sum((x / m)^2)) with m = max|x|: every scaled entry is at most 1, the largest is
 * exactly 1, and entries too small to matter next to m are the only ones that underflow
 * (their squares are < 1e-38 of the sum). This is LAPACK's snrm2 idea in two passes, which on
 * tfjs's kernels costs an abs, a max and a divide more than the naive form; no read-back.
 */

/**
 * ||x||_2 of every entry of `x`, as a scalar tensor. 0 only when every entry is exactly 0;
 * NaN when an entry is NaN; Infinity when an entry is +-Infinity (as PyTorch's norm).
 */
export function l2Norm(x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    if (x.size === 0) return tf.scalar(0);
    const m = tf.max(tf.abs(x));
    // m = 0 (an all-zero tensor) would make 0/0; any positive divisor gives the right 0.
    const divisor = tf.where(tf.greater(m, 0), m, tf.onesLike(m));
    const norm = tf.mul(m, tf.sqrt(tf.sum(tf.square(tf.div(x, divisor)))));
    // With an infinite entry, x / m is NaN there (Inf / Inf): report Infinity, not NaN.
    return tf.where(tf.isInf(m), m, norm) as tf.Scalar;
  });
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
  return tf.tidy(() => normOfNorms(tensors.map(l2Norm)));
}

/**
 * Root mean square of `x` (the standard deviation of an already centred tensor), scale-safe
 * in the same way: ||x|| / sqrt(n).
 */
export function rootMeanSquare(x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(l2Norm(x), Math.sqrt(Math.max(x.size, 1))) as tf.Scalar);
}
