import * as tf from '@tensorflow/tfjs-core';

/**
 * Weight penalty l1 * sum |w| + l2 * sum w^2 over the given tensors (kernels, by convention not
 * biases). Added to the loss, its gradient is l1 * sign(w) + 2 * l2 * w.
 */
export function weightPenalty(weights: readonly tf.Tensor[], l1: number, l2: number): tf.Scalar {
  return tf.tidy(() => {
    const terms: tf.Scalar[] = [];
    for (const w of weights) {
      // |w| as w * sign(w): tfjs's abs has gradient -1 at 0, sign(w) (0 at 0) is the subgradient.
      if (l1 > 0) terms.push(tf.mul(l1, tf.sum(tf.mul(w, tf.sign(w)))));
      if (l2 > 0) terms.push(tf.mul(l2, tf.sum(tf.square(w))));
    }
    return terms.length ? tf.addN(terms) : tf.scalar(0);
  });
}

/**
 * WGAN weight clipping (Arjovsky et al. 2017): clamps every weight to [-limit, limit] in place.
 * It bounds the weights, and so the function's Lipschitz constant; it does not bound the
 * gradient, which can still vanish or explode (Gulrajani et al. 2017 show it does).
 */
export function clipWeights(variables: readonly tf.Variable[], limit: number): void {
  for (const v of variables) {
    tf.tidy(() => v.assign(tf.clipByValue(v, -limit, limit)));
  }
}
