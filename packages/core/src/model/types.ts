import type * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../spec/schema.js';

/**
 * One row of the per-layer diagnostics: a kernel, its optional bias, and any other parameters
 * that belong to the layer (normalisation scale and shift). `activation` names the
 * nonlinearity whose output the activation statistics describe.
 */
export interface LayerGroup {
  readonly name: string;
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly extra: readonly tf.Variable[];
  readonly activation: Activation | null;
}

/** What a forward pass captured for one layer, for the activation statistics. */
export interface CapturedActivation {
  /** Pre-activation (after normalisation), [batch, units]; null when not applicable. */
  readonly pre: tf.Tensor | null;
  /** The layer's own activation output, [batch (x time), units]. */
  readonly post: tf.Tensor;
}

export interface ForwardResult {
  /** Logits (classification) or predictions (regression), [batch, outputs]. */
  readonly output: tf.Tensor2D;
  /** Aligned with `layers`; null for layers without an activation (the output layer). */
  readonly captured: readonly (CapturedActivation | null)[];
  /**
   * New values for non-trainable state (BatchNorm running statistics), computed by a training
   * forward pass; the caller assigns them after the gradient step.
   */
  readonly stateUpdates: readonly { readonly variable: tf.Variable; readonly value: tf.Tensor }[];
}

/** What greedy layer-wise pre-training needs of an MLP. */
export interface LayerwiseAccess {
  readonly hiddenLayers: number;
  /** [input width, output width] of hidden layer l. */
  widths(l: number): [number, number];
  /** The input of hidden layer l: x through layers 0..l-1 in inference mode, no skips. */
  inputOf(l: number, x: tf.Tensor): tf.Tensor2D;
  /** Hidden layer l alone (dense, normalisation, activation), training mode. */
  layer(l: number, h: tf.Tensor2D): tf.Tensor2D;
  /** The variables of hidden layer l. */
  variablesOf(l: number): tf.Variable[];
}

/**
 * A trainable network with per-layer handles. `forward` adds the given zero-valued `probes` to
 * the hidden states (per hidden layer for an MLP, per time step for a recurrent net), so the
 * gradient of the loss with respect to a probe is the backpropagated signal at that point.
 */
export interface GradModel {
  readonly kind: 'mlp' | 'rnn' | 'lstm' | 'gru';
  /**
   * True when skip connections carry the gradient around the hidden layers' units, so dead or
   * saturated units do not block its path (residual MLPs).
   */
  readonly skipConnections?: boolean;
  readonly layers: readonly LayerGroup[];
  readonly variables: readonly tf.Variable[];
  /** Label of each probe point: hidden layer names, or "t=1".."t=T". */
  readonly signalLabels: readonly string[];
  /** Non-trainable state (BatchNorm running mean and variance). */
  readonly stateVariables: readonly tf.Variable[];
  /** Shapes of the probes for a batch of `batch` examples. */
  probeShapes(batch: number): number[][];
  /**
   * `training` (default true) uses batch statistics in BatchNorm and reports state updates;
   * false is inference: BatchNorm uses its running statistics. `capture` (default true) keeps
   * every layer's pre-activation for the activation statistics; false lets layers run as fused
   * ops, whose captured `pre` is then null.
   */
  forward(
    x: tf.Tensor,
    probes: readonly tf.Tensor[] | null,
    training?: boolean,
    capture?: boolean,
  ): ForwardResult;
  /** For layer-wise pre-training (MLPs only). */
  readonly layerwise?: LayerwiseAccess;
  dispose(): void;
}

let modelCounter = 0;
/** tfjs variable names are global to the engine: give every model its own prefix. */
export function uniquePrefix(kind: string): string {
  modelCounter += 1;
  return `gradlab-${kind}-${modelCounter}-${Math.floor(Math.random() * 1e9).toString(36)}`;
}
