import * as tf from '@tensorflow/tfjs-core';
import type { ClipSpec } from '../spec/schema.js';
import type { GradientTransform } from '../train/transform.js';

/**
 * Gradient clipping, the three kinds PyTorch and Keras offer. All work on tensors, read nothing
 * back, and return new tensors (the caller disposes them, or calls inside tf.tidy).
 */

/** sqrt of the sum of squares of every entry of every tensor. */
export function globalNorm(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(tensors.map((t) => tf.sum(tf.square(t))))) as tf.Scalar);
}

/** Clamps every entry to [-limit, limit] (Keras `clipvalue`, PyTorch `clip_grad_value_`). */
export function clipByValue(grads: readonly tf.Tensor[], limit: number): tf.Tensor[] {
  return grads.map((g) => tf.clipByValue(g, -limit, limit));
}

/** Rescales each tensor whose L2 norm exceeds maxNorm to norm maxNorm (Keras `clipnorm`). */
export function clipByNorm(grads: readonly tf.Tensor[], maxNorm: number): tf.Tensor[] {
  return grads.map((g) =>
    tf.tidy(() => {
      const norm = tf.sqrt(tf.sum(tf.square(g)));
      return tf.mul(g, tf.div(maxNorm, tf.maximum(norm, maxNorm)));
    }),
  );
}

/**
 * Rescales all tensors by one factor, maxNorm / globalNorm, when their global norm exceeds
 * maxNorm (Pascanu et al. 2013; PyTorch `clip_grad_norm_`, Keras `global_clipnorm`). The
 * direction of the whole update is unchanged. Returns the clipped tensors and the pre-clip norm.
 */
export function clipByGlobalNorm(
  grads: readonly tf.Tensor[],
  maxNorm: number,
): { grads: tf.Tensor[]; norm: tf.Scalar } {
  const norm = globalNorm(grads);
  const scale = tf.tidy(() => tf.div(maxNorm, tf.maximum(norm, maxNorm)));
  const clipped = grads.map((g) => tf.mul(g, scale));
  scale.dispose();
  return { grads: clipped, norm };
}

/**
 * The training loop's clipping step. Telemetry per step: `preNorm` and `postNorm` (global
 * norms before and after) and `clipped` (1 if clipping changed anything, else 0).
 * With `errorIfNonFinite`, a NaN/Inf global norm stops the run (as PyTorch's
 * `error_if_nonfinite`); the loop checks `preNorm` after the step's read-back.
 */
export function clipTransform(spec: ClipSpec): GradientTransform {
  return {
    name: 'clip',
    apply(grads) {
      const preNorm = globalNorm(grads);
      let clipped: tf.Tensor[];
      let changed: tf.Scalar;
      if (spec.kind === 'value') {
        clipped = clipByValue(grads, spec.limit);
        changed = tf.cast(
          tf.any(tf.stack(grads.map((g) => tf.any(tf.greater(tf.abs(g), spec.limit))))),
          'float32',
        ) as tf.Scalar;
      } else if (spec.kind === 'norm') {
        clipped = clipByNorm(grads, spec.maxNorm);
        changed = tf.cast(
          tf.any(
            tf.stack(grads.map((g) => tf.greater(tf.sqrt(tf.sum(tf.square(g))), spec.maxNorm))),
          ),
          'float32',
        ) as tf.Scalar;
      } else {
        const r = clipByGlobalNorm(grads, spec.maxNorm);
        clipped = r.grads;
        changed = tf.cast(tf.greater(r.norm, spec.maxNorm), 'float32') as tf.Scalar;
      }
      return {
        grads: clipped,
        telemetry: { preNorm, postNorm: globalNorm(clipped), clipped: changed },
      };
    },
  };
}
