import type * as tf from '@tensorflow/tfjs-core';

/**
 * A change to the gradients between backprop and the optimiser update (clipping, noise, ...).
 * `apply` runs inside the step's tf.tidy: create tensors freely, return new gradients in the
 * same order as `variables`, and optionally scalar telemetry (for example the pre-clip norm),
 * which the step reads back with its summary and reports as `telemetry["<name>.<key>"]`.
 * The diagnostics always describe the gradients as backprop produced them, before transforms.
 */
export interface GradientTransform {
  readonly name: string;
  apply(
    grads: readonly tf.Tensor[],
    variables: readonly tf.Variable[],
    step: number,
  ): { grads: tf.Tensor[]; telemetry?: Readonly<Record<string, tf.Scalar>> };
}
