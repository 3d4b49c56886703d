/**
 * Weight penalties and weight clipping, core's primitives, for your own tfjs loop:
 * - `weightPenalty(kernels, l1, l2)`: l1 * sum |W| + l2 * sum W^2, a scalar to add to the loss
 *   inside `tf.variableGrads`; its gradient is l1 * sign(W) + 2 * l2 * W.
 * - `clipWeights(variables, limit)`: WGAN weight clipping, clamps every weight to
 *   [-limit, limit] in place; call it after each update. It bounds the weights, not the
 *   gradients.
 */
export { clipWeights, weightPenalty } from '@gradlab/core';
