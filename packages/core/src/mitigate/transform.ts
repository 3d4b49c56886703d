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
  /**
   * A rule the transform enforces once the step's numbers are on the host (the loop reads
   * nothing back mid-step): called after every step that has diagnostics, with the step's
   * telemetry as reported (keys `"<name>.<key>"`), it throws to stop the run. Clipping's
   * `errorIfNonFinite` is one; the loop knows no transform's rules, only that they may exist.
   */
  check?(telemetry: Readonly<Record<string, number>>, step: number): void;
}
