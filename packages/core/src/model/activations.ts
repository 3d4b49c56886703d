import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../spec/schema.js';

const SQRT1_2 = Math.SQRT1_2;

/**
 * Applies an activation. `leakyAlpha` is leaky-relu's fixed slope; `preluAlpha` is prelu's
 * learned per-unit slope (a variable of the layer), required for prelu.
 */
export function applyActivation(
  name: Activation,
  z: tf.Tensor,
  leakyAlpha: number,
  preluAlpha?: tf.Tensor,
): tf.Tensor {
  switch (name) {
    case 'linear':
      return z;
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'tanh':
      return tf.tanh(z);
    case 'relu':
      return tf.relu(z);
    case 'leaky-relu':
      return tf.leakyRelu(z, leakyAlpha);
    case 'prelu':
      if (!preluAlpha) throw new Error('prelu needs its learned slope');
      return tf.prelu(z, preluAlpha);
    case 'elu':
      return tf.elu(z);
    case 'selu':
      return tf.selu(z);
    case 'gelu':
      // Exact GELU (Hendrycks & Gimpel 2016): x * Phi(x), Phi through erf.
      return tf.mul(tf.mul(z, 0.5), tf.add(1, tf.erf(tf.mul(z, SQRT1_2))));
  }
}

/** Activations bounded on both sides, whose saturation starves the gradient. */
export function saturatingBounds(name: Activation): [number, number] | null {
  if (name === 'sigmoid') return [0, 1];
  if (name === 'tanh') return [-1, 1];
  return null;
}

/** Activations with a flat (or nearly flat) negative side, where units can die. */
export function canDie(name: Activation): boolean {
  return (
    name === 'relu' || name === 'leaky-relu' || name === 'elu' || name === 'selu' || name === 'gelu'
  );
}
