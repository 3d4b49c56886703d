import type { Dataset } from '../data/dataset.js';
import { GradlabError } from '../errors.js';
import type { ModelSpec } from '../spec/schema.js';
import { buildMlp } from './mlp.js';
import { buildRecurrent } from './recurrent.js';
import type { GradModel } from './types.js';

export { applyActivation } from './activations.js';
export { dense, fusable } from './dense.js';
export { initKernel, normalizeInit } from './init.js';
export { matMul } from './matmul.js';
export type { CapturedActivation, ForwardResult, GradModel, LayerGroup } from './types.js';

/** Builds the model a spec describes, sized for the data set, with weights drawn from `seed`. */
export function buildModel(model: ModelSpec, data: Dataset, seed: number): GradModel {
  const outputSize = data.yShape[data.yShape.length - 1] as number;
  if (model.kind === 'mlp') {
    if (data.xShape.length !== 1) {
      throw new GradlabError(
        'UNSUPPORTED_MODEL',
        `an MLP needs vector inputs; data "${data.name}" has per-sample shape [${data.xShape.join(', ')}]`,
      );
    }
    return buildMlp(model, data.xShape[0] as number, outputSize, seed);
  }
  if (data.xShape.length !== 2) {
    throw new GradlabError(
      'UNSUPPORTED_MODEL',
      `a ${model.kind} needs sequence inputs [time, features]; data "${data.name}" has per-sample shape [${data.xShape.join(', ')}]`,
    );
  }
  const [steps, features] = data.xShape as [number, number];
  return buildRecurrent(model, features, steps, outputSize, seed);
}
