import * as tf from '@tensorflow/tfjs-core';
import { globalL2Norm, l2Norm, normOfNorms } from '../diagnostics/norm.js';
import { GradlabError } from '../errors.js';
import type { ClipSpec } from '../spec/schema.js';
import type { GradientTransform } from './transform.js';

/**
 * Gradient clipping, the three kinds PyTorch and Keras offer. All work on tensors, read nothing
 * back, and return new tensors (the caller disposes them, or calls inside tf.tidy).
 */

/**
 * sqrt of the sum of squares of every entry of every tensor, computed scale-safely: a global
 * norm of 1e-25 or 1e25 is reported as such, not as 0 or Infinity (see diagnostics/norm.ts).
 */
export function globalNorm(tensors: readonly tf.Tensor[]): tf.Scalar {
  return globalL2Norm(tensors);
}

/** Clamps every entry to [-limit, limit] (Keras `clipvalue`, PyTorch `clip_grad_value_`). */
export function clipByValue(grads: readonly tf.Tensor[], limit: number): tf.Tensor[] {
  return grads.map((g) => tf.clipByValue(g, -limit, limit));
}

/** Rescales each tensor whose L2 norm exceeds maxNorm to norm maxNorm (Keras `clipnorm`). */
export function clipByNorm(grads: readonly tf.Tensor[], maxNorm: number): tf.Tensor[] {
  return grads.map((g) =>
    tf.tidy(() => {
      const norm = l2Norm(g);
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

const CLIP = 'clip';

/**
 * The telemetry keys clipping reports on every step, as a run's metrics carry them: global
 * norms before and after, and 1 if clipping changed anything (else 0). Readers (the CLI, the
 * report) use these rather than spelling the keys.
 */
export const CLIP_TELEMETRY = {
  preNorm: `${CLIP}.preNorm`,
  postNorm: `${CLIP}.postNorm`,
  clipped: `${CLIP}.clipped`,
} as const;

/** What clipping reported in a step's telemetry; null when the step did not clip. */
export function clipTelemetryOf(
  telemetry: Readonly<Record<string, number>>,
): { preNorm: number | null; postNorm: number | null; clipped: boolean } | null {
  if (!(CLIP_TELEMETRY.preNorm in telemetry)) return null;
  return {
    preNorm: telemetry[CLIP_TELEMETRY.preNorm] ?? null,
    postNorm: telemetry[CLIP_TELEMETRY.postNorm] ?? null,
    clipped: Boolean(telemetry[CLIP_TELEMETRY.clipped]),
  };
}

/**
 * `errorIfNonFinite` (as PyTorch's `error_if_nonfinite`): a NaN/Inf global norm stops the run.
 * It is checked on the host after the step's one read-back, so the step's update has happened.
 */
function stopOnNonFiniteNorm(telemetry: Readonly<Record<string, number>>, step: number): void {
  if (Number.isFinite(telemetry[CLIP_TELEMETRY.preNorm] ?? 0)) return;
  throw new GradlabError(
    'NON_FINITE_GRADIENT',
    `the global gradient norm is ${telemetry[CLIP_TELEMETRY.preNorm]} at step ${step} (training.clip.errorIfNonFinite is set). Lower the learning rate, or clip by value first.`,
  );
}

/**
 * The training loop's clipping step, reporting CLIP_TELEMETRY every step; with global-norm
 * clipping and `errorIfNonFinite`, its check stops the run on a non-finite norm.
 */
export function clipTransform(spec: ClipSpec): GradientTransform {
  return {
    name: CLIP,
    ...(spec.kind === 'global-norm' && spec.errorIfNonFinite ? { check: stopOnNonFiniteNorm } : {}),
    // One tidy: only the clipped gradients and the telemetry scalars outlive the call.
    apply: (grads) =>
      tf.tidy(() => {
        let clipped: tf.Tensor[];
        let preNorm: tf.Scalar;
        let changed: tf.Tensor;
        if (spec.kind === 'global-norm') {
          const r = clipByGlobalNorm(grads, spec.maxNorm);
          clipped = r.grads;
          preNorm = r.norm;
          changed = tf.greater(r.norm, spec.maxNorm);
        } else if (spec.kind === 'norm') {
          const norms = grads.map(l2Norm);
          clipped = grads.map((g, i) =>
            tf.mul(g, tf.div(spec.maxNorm, tf.maximum(norms[i] as tf.Scalar, spec.maxNorm))),
          );
          preNorm = normOfNorms(norms);
          changed = tf.any(tf.greater(tf.stack(norms), spec.maxNorm));
        } else {
          clipped = clipByValue(grads, spec.limit);
          preNorm = globalL2Norm(grads);
          changed = tf.any(tf.stack(grads.map((g) => tf.any(tf.greater(tf.abs(g), spec.limit)))));
        }
        return {
          grads: clipped,
          telemetry: {
            preNorm,
            postNorm: globalL2Norm(clipped),
            clipped: tf.cast(changed, 'float32') as tf.Scalar,
          },
        };
      }),
  };
}
