import * as tf from '@tensorflow/tfjs-core';

/**
 * The scale-safe L2 norm as composite tfjs ops: what every backend runs unless it registers
 * the GradlabL2Norms kernel (backends/fused-kernels.ts).
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
export function scaledNorm(x: tf.Tensor): tf.Scalar {
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
