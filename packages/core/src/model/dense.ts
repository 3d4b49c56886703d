import * as tf from '@tensorflow/tfjs-core';
import { DENSE_GRAD_KERNEL, hasKernel } from '../backends/fused-kernels.js';
import { kernelPreferences } from '../backends/kernel-preferences.js';
import type { Activation } from '../spec/schema.js';

/** gradlab's activations that tfjs's fused matMul applies in its epilogue, by tfjs's names. */
const FUSED: Partial<Record<Activation, tf.fused.Activation>> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  elu: 'elu',
  'leaky-relu': 'leakyrelu',
};

/** Whether `dense` can run a layer with this activation as one fused op. */
export function fusable(activation: Activation | null): boolean {
  return FUSED[activation ?? 'linear'] !== undefined;
}

/**
 * dL/dz from dL/dy and the layer's output y = act(z), for the fusable activations: each of them
 * has a derivative that y alone determines (relu, elu and leaky-relu keep the sign of z).
 */
function activationGrad(
  activation: tf.fused.Activation,
  dy: tf.Tensor,
  y: tf.Tensor,
  alpha: number,
): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.mul(dy, tf.step(y));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    case 'elu':
      return tf.where(tf.greater(y, 0), dy, tf.mul(dy, tf.add(y, 1)));
    case 'leakyrelu':
      return tf.where(tf.greater(y, 0), dy, tf.mul(dy, alpha));
    default:
      return dy;
  }
}

/**
 * y = act(x @ kernel + bias): one _FusedMatMul kernel forward, and one GradlabDenseGrad kernel
 * backward where the backend registers it (the composite gradient otherwise: the activation's
 * derivative, two matMuls and a column sum). The layer's pre-activation is never materialised,
 * so callers that need it for statistics use the unfused ops instead.
 *
 * With `inputGradient: false` (a first layer, whose input is the data) x is a constant of the
 * op: no gradient flows to it, and the backward pass skips the product that would make one.
 */
export function dense(
  x: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: Activation | null,
  leakyAlpha: number,
  options: { readonly inputGradient?: boolean } = {},
): tf.Tensor2D {
  const fused = FUSED[activation ?? 'linear'];
  if (fused === undefined) throw new Error(`dense: activation "${activation}" is not fusable`);
  const inputGradient = options.inputGradient ?? true;
  const body = (a: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    // The kernel itself, not tf.fused.matMul: while gradients are recorded, that op refuses to
    // fuse any activation but linear (its own gradient needs the pre-activation). Like the op,
    // hand the kernel rank-3 operands: the WASM kernel reads them as [batch, rows, cols].
    const [rows, k] = a.shape;
    const n = w.shape[1];
    const y3 = tf
      .engine()
      .runKernel(
        '_FusedMatMul',
        { a: tf.reshape(a, [1, rows, k]), b: tf.reshape(w, [1, k, n]), bias: b },
        {
          transposeA: false,
          transposeB: false,
          activation: fused,
          leakyreluAlpha: leakyAlpha,
        } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor3D;
    const y = tf.reshape(y3, [rows, n]) as tf.Tensor2D;
    save([a, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [sa, sw, sy] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        if (hasKernel(DENSE_GRAD_KERNEL)) {
          return tf
            .engine()
            .runKernel(
              DENSE_GRAD_KERNEL,
              { dy, x: sa, kernel: sw, y: sy },
              { activation: fused, alpha: leakyAlpha, inputGradient },
            ) as unknown as tf.Tensor[];
        }
        const dz = activationGrad(fused, dy, sy, leakyAlpha) as tf.Tensor2D;
        const explicit = kernelPreferences().explicitTransposeInMatMulGradient;
        const dw = explicit ? tf.matMul(tf.transpose(sa), dz) : tf.matMul(sa, dz, true, false);
        if (!inputGradient) return [dw, tf.sum(dz, 0)];
        return [
          explicit ? tf.matMul(dz, tf.transpose(sw)) : tf.matMul(dz, sw, false, true),
          dw,
          tf.sum(dz, 0),
        ];
      },
    };
  };
  type Grad = { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] };
  if (!inputGradient) {
    const op = tf.customGrad(((w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) =>
      body(x, w, b, save)) as unknown as (...args: (tf.Tensor | tf.GradSaveFunc)[]) => Grad);
    return op(kernel, bias) as tf.Tensor2D;
  }
  const op = tf.customGrad(body as unknown as (...args: (tf.Tensor | tf.GradSaveFunc)[]) => Grad);
  return op(x, kernel, bias) as tf.Tensor2D;
}
