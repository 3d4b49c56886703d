import {
  type Activation,
  activationNames,
  type BackendInfo,
  type ExperimentSpec,
  parseSpec,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Layer } from './layer-chain.js';

/** Keras activation names as gradlab's spec names them; anything else is recorded as linear. */
const ACTIVATIONS: Record<string, Activation> = { leakyReLU: 'leaky-relu', softmax: 'linear' };

function activationName(layer: Layer): Activation {
  const a = (layer.getConfig() as { activation?: unknown }).activation;
  if (typeof a !== 'string') return 'linear';
  if ((activationNames as readonly string[]).includes(a)) return a as Activation;
  return ACTIVATIONS[a] ?? 'linear';
}

function unitsOf(layer: Layer): number {
  const shape = layer.outputShape as (number | null)[];
  return Math.min(8192, Math.max(1, Number(shape[shape.length - 1] ?? 1)));
}

/** The fit's optimizer as a spec optimizer; lr is clamped into the spec's range (0, 100]. */
function optimizerOf(model: LayersModel): ExperimentSpec['training']['optimizer'] {
  const o = model.optimizer as unknown as { getClassName(): string; learningRate?: number };
  const lr = Math.min(100, Math.max(1e-12, Number(o?.learningRate ?? 0.01)));
  const kind = o?.getClassName?.();
  if (kind === 'Adam') return { kind: 'adam', lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
  if (kind === 'Momentum') return { kind: 'momentum', lr, momentum: 0.9 };
  return { kind: 'sgd', lr };
}

export interface FitShape {
  readonly name: string;
  readonly steps: number;
  readonly batchSize: number;
  readonly samples: number;
  readonly every: number;
}

/**
 * A gradlab spec describing a tfjs-layers model and its fit, so that the record is an ordinary
 * one that every reader and report takes. gradlab did not build this model: the model and data
 * fields are the nearest spec (an MLP of the layers' widths and activations, teacher data of the
 * input and output sizes), and the description says so and lists the real layers.
 */
export function describeFit(
  model: LayersModel,
  chain: readonly Layer[],
  fit: FitShape,
): ExperimentSpec {
  const layers = chain.filter((l) => l.trainableWeights.length > 0);
  const hidden = layers.slice(0, -1);
  const inputShape = model.inputs[0]?.shape ?? [null, 1];
  const inputSize = Math.min(4096, Math.max(1, Number(inputShape[inputShape.length - 1] ?? 1)));
  const outputSize = Math.min(1000, unitsOf(layers[layers.length - 1] ?? (chain[0] as Layer)));
  const lossName = typeof model.loss === 'string' ? model.loss : 'a custom loss';
  const classification = /crossentropy/i.test(lossName);
  const summary = layers
    .map((l) => `${l.getClassName()} ${l.name} (${unitsOf(l)} units, ${activationName(l)})`)
    .join(', ');
  return parseSpec({
    gradlab: 1,
    name: fit.name,
    description: `Recorded by gradlabCallback from tfjs-layers model.fit (loss ${lossName}): ${summary}. The model and data fields are the nearest gradlab spec; gradlab did not build or train this model.`,
    data: {
      kind: 'teacher',
      task: classification ? 'classification' : 'regression',
      inputSize,
      outputSize,
      samples: Math.min(100_000, Math.max(1, fit.samples)),
    },
    model: {
      kind: 'mlp',
      depth: Math.max(1, layers.length),
      width: hidden.length > 0 ? hidden.map(unitsOf) : outputSize,
      ...(hidden.length > 0 ? { activation: hidden.map(activationName) } : {}),
      init: 'xavier-uniform',
    },
    training: {
      steps: Math.min(1_000_000, Math.max(1, fit.steps)),
      batchSize: Math.min(65_536, Math.max(1, fit.batchSize)),
      optimizer: optimizerOf(model),
    },
    diagnostics: { every: fit.every },
  });
}

/** The active tfjs backend as a run record's backend. */
export function activeBackend(): BackendInfo {
  const name = tf.getBackend();
  const backend = tf.backend() as unknown as { floatPrecision(): 16 | 32; epsilon(): number };
  return {
    name,
    tfjsBackend: name,
    device: `tfjs ${name} backend (a tfjs-layers model.fit)`,
    floatPrecision: backend.floatPrecision(),
    epsilon: backend.epsilon(),
    capabilities: { syncReadback: name !== 'webgpu', multithreaded: false },
    versions: { 'tfjs-core': tf.version_core },
  };
}
