import { GradlabError, type StepDiagnostics } from '@gradlab/core';
import { type ActivationName, type InitLike, initVariance, varianceGain } from '@gradlab/theory';

/** One hidden layer's backward gain: measured at a step and predicted by the variance argument. */
export interface LayerGain {
  /** Hidden layer l (1-based, input side first): the gain is from its output back to layer l-1's. */
  readonly layer: number;
  /** ||dL/dh_(l-1)||^2 / ||dL/dh_l||^2 as the step measured it. */
  readonly measured: number;
  /** n_in Var(W_l) E[phi'(z_l)^2], z_l ~ N(0, q_l). */
  readonly predicted: number;
  /** q_l = n_in Var(W_l) E[h_(l-1)^2]: the pre-activation variance from the measured input moment. */
  readonly q: number;
}

export interface BackwardGainNet {
  readonly activation: ActivationName;
  /** Width of every hidden layer (the kernels between them are square). */
  readonly width: number;
  /** The theory's initialiser of dense layer `layer` (0-based: 0 is the input layer's kernel). */
  readonly init: (layer: number) => InitLike;
}

/**
 * Glorot & Bengio's (2010) variance argument, layer by layer, against one step's diagnostics.
 *
 * Going back through hidden layer l, dL/dh_(l-1) = W_l (phi'(z_l) * dL/dh_l), so with W_l
 * independent of the rest, ||dL/dh_(l-1)||^2 / ||dL/dh_l||^2 = n_in Var(W_l) E[phi'(z_l)^2]:
 * @gradlab/theory's backward varianceGain, n_out Var(W_l) E[phi'^2] per unit, which is the
 * whole norm's gain too on the square kernels between hidden layers. The diagnostics carry no pre-activation statistics, but they do carry the mean
 * and std of every hidden layer's output over the batch and units, hence E[h_(l-1)^2] exactly;
 * with zero biases z_l then has mean 0 and variance q_l = n_in Var(W_l) E[h_(l-1)^2] over the
 * draw of the weights, and E[phi'^2] is the theory's Gaussian expectation at q_l. Layer 1's
 * input is the data, whose moments the diagnostics do not carry: the gains start at layer 2.
 */
export function backwardGains(step: StepDiagnostics, net: BackwardGainNet): LayerGain[] {
  const norms = step.signal?.norms;
  if (!norms) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `step ${step.step} measured no backpropagated signal; the variance argument needs ||dL/dh|| per hidden layer`,
    );
  }
  const out: LayerGain[] = [];
  for (let l = 1; l < norms.length; l++) {
    const below = step.layers[l - 1];
    const mean = below?.activationMean;
    const std = below?.activationStd;
    if (mean === null || mean === undefined || std === null || std === undefined) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `step ${step.step} has no activation statistics for hidden layer ${l}; the variance argument needs a full-diagnostic step`,
      );
    }
    const n = net.width;
    const init = net.init(l);
    const q = n * initVariance(init, n, n) * (mean * mean + std * std);
    out.push({
      layer: l + 1,
      measured: ((norms[l - 1] as number) / (norms[l] as number)) ** 2,
      predicted: varianceGain(net.activation, init, { fanIn: n, fanOut: n, q }).backward,
      q,
    });
  }
  return out;
}
