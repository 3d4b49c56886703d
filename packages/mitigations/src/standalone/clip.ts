import { clipByGlobalNorm, clipByNorm, clipByValue, GradlabError } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient clipping for your own tfjs training loop, on the `grads` map that
 * `tf.variableGrads` returns and `optimizer.applyGradients` takes. tfjs optimisers have no
 * `clipnorm`/`clipvalue` option: these fill that gap. tfjs tensors are immutable, so unlike
 * PyTorch's in-place `clip_grad_norm_` each function returns NEW tensors: dispose the input
 * map and the result yourself (or call inside `tf.tidy`). Nothing is read back from the device,
 * except by `clipGradsByGlobalNormChecked`.
 */

export function checkPositive(fn: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${fn}: ${name} must be a finite number > 0; got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
    );
  }
}

function namedTensors(fn: string, grads: tf.NamedTensorMap): [string[], tf.Tensor[]] {
  if (grads === null || typeof grads !== 'object' || Array.isArray(grads)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${fn}: grads must be a map from variable name to gradient tensor (the "grads" of tf.variableGrads); got ${Array.isArray(grads) ? 'an array' : String(grads)}`,
    );
  }
  const names = Object.keys(grads);
  const tensors = names.map((n) => {
    const t = grads[n];
    // Duck-typed: a bundle may hold a second copy of tfjs-core whose Tensor class differs.
    const tensor = t !== null && typeof t === 'object' && 'dtype' in t && 'shape' in t;
    if (!tensor || t.isDisposed) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `${fn}: grads["${n}"] is ${tensor ? 'a disposed tensor' : 'not a tensor'}`,
      );
    }
    return t;
  });
  return [names, tensors];
}

/** A map with the same names as M: `clipGradsByValue({ w, b }, 1).w` is typed. */
export type SameNames<M extends tf.NamedTensorMap> = { [K in keyof M]: tf.Tensor };

const toMap = <M extends tf.NamedTensorMap>(
  names: readonly string[],
  tensors: readonly tf.Tensor[],
): SameNames<M> =>
  Object.fromEntries(names.map((n, i) => [n, tensors[i] as tf.Tensor])) as SameNames<M>;

/**
 * Clamps every gradient entry to [-limit, limit] (PyTorch `clip_grad_value_`, Keras
 * `clipvalue`). Entries already inside are unchanged; the direction of the update may change.
 */
export function clipGradsByValue<M extends tf.NamedTensorMap>(
  grads: M,
  limit: number,
): SameNames<M> {
  checkPositive('clipGradsByValue', 'limit', limit);
  const [names, tensors] = namedTensors('clipGradsByValue', grads);
  return toMap<M>(names, clipByValue(tensors, limit));
}

/**
 * Rescales each gradient tensor on its own to L2 norm at most maxNorm (Keras `clipnorm`):
 * afterwards each tensor's norm is min(maxNorm, its own norm).
 */
export function clipGradsByNorm<M extends tf.NamedTensorMap>(
  grads: M,
  maxNorm: number,
): SameNames<M> {
  checkPositive('clipGradsByNorm', 'maxNorm', maxNorm);
  const [names, tensors] = namedTensors('clipGradsByNorm', grads);
  return toMap<M>(names, clipByNorm(tensors, maxNorm));
}

/**
 * Rescales all gradients by one factor so that their global L2 norm is at most maxNorm
 * (Pascanu et al. 2013; PyTorch `clip_grad_norm_`, Keras `global_clipnorm`). The direction of
 * the whole update is unchanged. `norm` is the global norm BEFORE clipping, a scalar tensor on
 * the device (dispose it); read it only when you need it, since reading synchronises.
 */
export function clipGradsByGlobalNorm<M extends tf.NamedTensorMap>(
  grads: M,
  maxNorm: number,
): { grads: SameNames<M>; norm: tf.Scalar } {
  checkPositive('clipGradsByGlobalNorm', 'maxNorm', maxNorm);
  const [names, tensors] = namedTensors('clipGradsByGlobalNorm', grads);
  if (tensors.length === 0) return { grads: {} as SameNames<M>, norm: tf.scalar(0) };
  const r = clipByGlobalNorm(tensors, maxNorm);
  return { grads: toMap<M>(names, r.grads), norm: r.norm };
}

export interface ClipCheckedOptions {
  /**
   * Throw GradlabError('NON_FINITE_GRADIENT') when the global norm is NaN or Infinity
   * (PyTorch's `error_if_nonfinite`). Default true: that check is the point of this function.
   * With false, the clipped gradients are returned whatever the norm.
   */
  readonly errorIfNonFinite?: boolean;
}

/**
 * clipGradsByGlobalNorm, then reads the pre-clip global norm back as a number (one small
 * device read) and, by default, refuses a NaN/Inf norm: it disposes everything it made and
 * throws GradlabError('NON_FINITE_GRADIENT') naming the gradients that hold NaN/Inf, so a
 * diverging run stops before one bad update poisons every weight. The input map stays yours.
 */
export async function clipGradsByGlobalNormChecked<M extends tf.NamedTensorMap>(
  grads: M,
  maxNorm: number,
  options: ClipCheckedOptions = {},
): Promise<{ grads: SameNames<M>; norm: number }> {
  const r = clipGradsByGlobalNorm(grads, maxNorm);
  let norm: number;
  try {
    norm = (await r.norm.data())[0] as number;
  } catch (e) {
    tf.dispose(Object.values(r.grads));
    throw e;
  } finally {
    r.norm.dispose();
  }
  if (Number.isFinite(norm) || options.errorIfNonFinite === false) return { grads: r.grads, norm };
  tf.dispose(Object.values(r.grads));
  const names = Object.keys(grads);
  const flags = tf.tidy(() =>
    tf.stack(names.map((n) => tf.any(tf.logicalNot(tf.isFinite(grads[n] as tf.Tensor))))),
  );
  const bad = await flags.data();
  flags.dispose();
  const culprits = names.filter((_, i) => bad[i]);
  const where =
    culprits.length > 0
      ? `NaN/Inf in ${culprits.join(', ')}`
      : "every entry is finite, but their norm is beyond float32's range (3.4e38)";
  throw new GradlabError(
    'NON_FINITE_GRADIENT',
    `the global gradient norm is ${norm} (${where}). The update was not made: lower the learning rate, clip by value first (clipGradsByValue), or find the operation that overflows.`,
  );
}
