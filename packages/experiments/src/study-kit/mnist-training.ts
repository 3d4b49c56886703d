import type {
  Activation,
  ExperimentSpecInput,
  Initializer,
  OptimizerSpec,
  PretrainingSpec,
} from '@gradlab/core';
import { standardUniformInit } from './standard-init.js';

/** MNIST digits are 28 x 28 pixels: the fan-in of an MLP's first layer on them. */
export const MNIST_INPUT_SIZE = 784;

/**
 * What every study that trains MLPs on MNIST digits over seeds sets; its own settings extend
 * these with what its claim is about (depth, initialisers, activations, pre-training).
 */
export interface MnistTrainingSettings {
  /** Units of every hidden layer. */
  readonly width: number;
  readonly seeds: readonly number[];
  readonly steps: number;
  readonly batchSize: number;
  /** MNIST digits to draw batches from. */
  readonly samples: number;
}

/**
 * A spec's initialiser for an MLP on MNIST with `hiddenLayers` layers of `width` units: "standard"
 * is U[-1/sqrt(fan-in), 1/sqrt(fan-in)], one uniform per layer (see standardUniformInit).
 */
export function mnistMlpInit(
  init: 'standard' | Initializer,
  hiddenLayers: number,
  width: number,
): Initializer | Initializer[] {
  return init === 'standard'
    ? standardUniformInit(MNIST_INPUT_SIZE, Array<number>(hiddenLayers).fill(width))
    : init;
}

/** What sets one MLP of such a study apart: its run's name and seed, its network and optimiser. */
export interface MnistMlp {
  readonly name: string;
  readonly seed: number;
  /** Dense layers, the output layer included. */
  readonly depth: number;
  readonly activation: Activation;
  readonly init: 'standard' | Initializer;
  readonly optimizer: OptimizerSpec;
  /** Greedy layer-wise pre-training before the steps (null: none); left out of the spec if absent. */
  readonly pretraining?: PretrainingSpec | null;
  /** Full diagnostics every this many steps: by default on the first and the last step only. */
  readonly diagnosticsEvery?: number;
}

/** The spec of an MLP of the settings' width, trained on MNIST for their steps, batch size and digits. */
export function mnistMlpSpec(s: MnistTrainingSettings, net: MnistMlp): ExperimentSpecInput {
  return {
    gradlab: 1,
    name: net.name,
    seed: net.seed,
    data: { kind: 'mnist', samples: s.samples },
    model: {
      kind: 'mlp',
      depth: net.depth,
      width: s.width,
      activation: net.activation,
      init: mnistMlpInit(net.init, net.depth - 1, s.width),
    },
    training: {
      steps: s.steps,
      batchSize: s.batchSize,
      optimizer: net.optimizer,
      ...(net.pretraining === undefined ? {} : { pretraining: net.pretraining }),
    },
    diagnostics: { every: net.diagnosticsEvery ?? s.steps },
  };
}
