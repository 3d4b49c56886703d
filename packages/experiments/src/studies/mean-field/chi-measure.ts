import { type ExperimentSpecInput, GradlabError } from '@gradlab/core';
import type { Phase } from '@gradlab/theory';
import { type MeanFieldNet, meanFieldMlp } from '../../study-kit/tanh-grid.js';

/**
 * A random tanh network as mean-field theory describes it (Poole et al. 2016): every weight
 * W_ij ~ N(0, sw2 / fan-in) (LeCun's normal with gain sqrt(sw2)) and every bias b_i ~ N(0, sb2).
 * Teacher-regression inputs x ~ N(0, I) of the network's width make the first layer's length
 * sw2 + sb2. The loss is MSE to the teacher's targets: the chi_1 recursion does not depend on
 * which signal enters at the top, only on the layers it travels back through, and it treats
 * their backward weights as independent of the forward ones (the gradient independence
 * assumption), which wide layers satisfy up to O(1/width).
 */
export function randomTanhNetwork(
  options: MeanFieldNet & {
    readonly name: string;
    readonly seed: number;
    readonly batchSize: number;
    readonly outputs: number;
  },
): ExperimentSpecInput {
  return {
    gradlab: 1,
    name: options.name,
    seed: options.seed,
    data: {
      kind: 'teacher',
      task: 'regression',
      inputSize: options.width,
      outputSize: options.outputs,
      samples: options.batchSize,
    },
    model: meanFieldMlp(options),
    // One step: the diagnostics of step 1 are measured before the update, on the network as drawn.
    training: { steps: 1, batchSize: options.batchSize, optimizer: { kind: 'sgd', lr: 1e-6 } },
    diagnostics: { every: 1 },
  };
}

/**
 * The geometric-mean factor by which ||dL/dh||^2 grows per layer going back from hidden layer
 * `top` to hidden layer `bottom` (0-based, input side first): (n_bottom^2 / n_top^2)^(1 / (top -
 * bottom)). It is the product of the per-layer ratios E||dL/dh^l||^2 / E||dL/dh^(l+1)||^2 taken
 * to the power 1 / layers, the quantity whose mean-field value is chi_1.
 */
export function perLayerSquaredRatio(
  norms: readonly number[],
  bottom: number,
  top: number,
): number {
  if (!(Number.isInteger(bottom) && Number.isInteger(top) && bottom >= 0 && top > bottom)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `layers to compare must satisfy 0 <= bottom < top; got bottom = ${bottom}, top = ${top}`,
    );
  }
  if (top >= norms.length) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `top = ${top} is past the ${norms.length} measured layers (indices 0..${norms.length - 1})`,
    );
  }
  const low = norms[bottom] as number;
  const high = norms[top] as number;
  return Math.exp((2 * (Math.log(low) - Math.log(high))) / (top - bottom));
}

/**
 * The phase a measured per-layer factor shows: within `band` (relative) of 1 it is critical, as
 * close to 1 as a measurement of this precision can tell; below, ordered; above, chaotic.
 */
export function phaseOfFactor(chi: number, band: number): Phase {
  if (!(band >= 0 && band < 1)) {
    throw new GradlabError('INVALID_ARGUMENT', `band must be in [0, 1); got ${band}`);
  }
  if (Math.abs(chi - 1) <= band) return 'critical';
  return chi < 1 ? 'ordered' : 'chaotic';
}
