import * as tf from '@tensorflow/tfjs-core';
import { canDie, saturatingBounds } from '../model/activations.js';
import type { Activation, Thresholds } from '../spec/schema.js';
import { l2Norm, normOfNorms, rootMeanSquare } from './norm.js';
import { type SummaryPacker, slotValue } from './packer.js';
import type { LayerDiagnostics, SignalProfile } from './types.js';
import { judgeNorm } from './verdict.js';

/** A layer as the measurements see it: its parameters as plain tensors. */
export interface MeasuredLayer {
  readonly name: string;
  readonly kernel: tf.Tensor;
  readonly bias: tf.Tensor | null;
  readonly extra: readonly tf.Tensor[];
}

/** Slot indices of one layer's measurements in a packed summary (-1: not measured). */
export interface LayerSlots {
  gradNorm: number;
  biasGradNorm: number;
  weightNorm: number;
  update: number;
  activationMean: number;
  activationStd: number;
  saturation: number;
  dead: number;
}

/** A layer's slots with its gradient measurements; the full-step ones are filled in later. */
export function gradientSlots(
  gradNorm: number,
  biasGradNorm: number,
  weightNorm: number,
): LayerSlots {
  return {
    gradNorm,
    biasGradNorm,
    weightNorm,
    update: -1,
    activationMean: -1,
    activationStd: -1,
    saturation: -1,
    dead: -1,
  };
}

/**
 * Gradient measurements of every layer: kernel and bias gradient norms and the kernel norm.
 * Also packs the global gradient norm; returns its slot with the layers'.
 * Call inside a tf.tidy; `grad(t)` returns the gradient of a parameter.
 *
 * NaN/Inf are not counted here: a NaN or Inf anywhere makes the global norm non-finite, and
 * only then does the caller count them per layer with `nonFiniteCounts` (a second pass that
 * healthy steps never pay for: on WASM the count costs as much as the norms themselves).
 */
export function measureGradients(
  packer: SummaryPacker,
  layers: readonly MeasuredLayer[],
  grad: (parameter: tf.Tensor) => tf.Tensor,
  /** Also the kernels' own norms (for the gradient/weight ratio): as costly as the gradients'. */
  weightNorms = true,
): { layers: LayerSlots[]; globalGradNorm: number } {
  const allNorms: tf.Scalar[] = [];
  const slots = layers.map((layer): LayerSlots => {
    const kernel = l2Norm(grad(layer.kernel));
    allNorms.push(kernel);
    let biasSlot = -1;
    if (layer.bias) {
      const bias = l2Norm(grad(layer.bias));
      allNorms.push(bias);
      biasSlot = packer.scalar(bias);
    }
    for (const e of layer.extra) allNorms.push(l2Norm(grad(e)));
    return gradientSlots(
      packer.scalar(kernel),
      biasSlot,
      weightNorms ? packer.scalar(l2Norm(layer.kernel)) : -1,
    );
  });
  return { layers: slots, globalGradNorm: packer.scalar(normOfNorms(allNorms)) };
}

/** NaN and Inf entries in each layer's gradients (kernel, bias and extra parameters). */
export function nonFiniteCounts(
  layers: readonly MeasuredLayer[],
  grad: (parameter: tf.Tensor) => tf.Tensor,
): tf.Tensor1D {
  return tf.stack(
    layers.map((layer) => {
      const params = [layer.kernel, ...(layer.bias ? [layer.bias] : []), ...layer.extra];
      return tf.addN(
        params.map((p) => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(grad(p))), 'float32'))),
      );
    }),
  ) as tf.Tensor1D;
}

/**
 * Activation statistics of one layer: mean and std of its output, the fraction of saturated
 * activations (bounded activations: local slope under 5% of the maximum slope, i.e.
 * 4 s (1 - s) < 0.05 for sigmoid and 1 - tanh^2 < 0.05 for tanh) and the fraction of dead units
 * (ReLU family: pre-activation <= 0 for every example of the batch).
 */
export function measureActivation(
  packer: SummaryPacker,
  slots: LayerSlots,
  activation: Activation | null,
  pre: tf.Tensor | null,
  post: tf.Tensor,
): void {
  const mean = tf.mean(post);
  slots.activationMean = packer.scalar(mean);
  // Scale-safe: a collapsing forward signal (std 1e-20) must not read as exactly 0.
  slots.activationStd = packer.scalar(rootMeanSquare(tf.sub(post, mean)));
  if (activation && saturatingBounds(activation)) {
    const slope =
      activation === 'sigmoid'
        ? tf.mul(4, tf.mul(post, tf.sub(1, post)))
        : tf.sub(1, tf.square(post));
    slots.saturation = packer.scalar(tf.mean(tf.cast(tf.less(slope, 0.05), 'float32')));
  }
  if (activation && pre && canDie(activation)) {
    const unitMax = tf.max(tf.reshape(pre, [-1, pre.shape[pre.shape.length - 1] as number]), 0);
    slots.dead = packer.scalar(tf.mean(tf.cast(tf.lessEqual(unitMax, 0), 'float32')));
  }
}

/** a / b for a norm ratio: null when b was not measured, Infinity when b is 0. */
const ratio = (a: number, b: number | null): number | null =>
  b === null ? null : b > 0 ? a / b : Number.POSITIVE_INFINITY;

/**
 * Host-side decoding of the layers' slots into diagnostics with verdicts. `nonFinite` holds the
 * per-layer NaN/Inf counts when they were counted (see measureGradients); otherwise all are 0.
 */
export function decodeLayers(
  values: ArrayLike<number>,
  names: readonly string[],
  slots: readonly LayerSlots[],
  thresholds: Thresholds,
  nonFinite?: ArrayLike<number>,
): LayerDiagnostics[] {
  const last = slots[slots.length - 1];
  const reference = last ? (values[last.gradNorm] as number) : 0;
  return slots.map((s, i) => {
    const gradNorm = values[s.gradNorm] as number;
    const weightNorm = slotValue(values, s.weightNorm);
    const bad = nonFinite ? (nonFinite[i] as number) : 0;
    const update = slotValue(values, s.update);
    return {
      name: names[i] as string,
      gradNorm,
      biasGradNorm: slotValue(values, s.biasGradNorm),
      weightNorm,
      gradToWeight: ratio(gradNorm, weightNorm),
      ratioToLast: reference > 0 ? gradNorm / reference : Number.NaN,
      updateToWeight: update === null ? null : ratio(update, weightNorm),
      activationMean: slotValue(values, s.activationMean),
      activationStd: slotValue(values, s.activationStd),
      saturation: slotValue(values, s.saturation),
      deadFraction: slotValue(values, s.dead),
      nonFinite: bad,
      verdict: judgeNorm(gradNorm, reference, bad, thresholds),
    };
  });
}

/** The signal profile from its packed norms; the last point is the reference. */
export function decodeSignal(
  values: ArrayLike<number>,
  labels: readonly string[],
  base: number,
  thresholds: Thresholds,
): SignalProfile {
  const norms = labels.map((_, i) => values[base + i] as number);
  const first = norms[0] as number;
  const last = norms[norms.length - 1] as number;
  const nonFinite = norms.filter((n) => !Number.isFinite(n)).length;
  return {
    labels,
    norms,
    ratioFirstToLast: last > 0 ? first / last : Number.NaN,
    verdict: judgeNorm(first, last, nonFinite, thresholds),
  };
}
