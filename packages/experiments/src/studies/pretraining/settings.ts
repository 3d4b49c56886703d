import type { Initializer, PretrainingSpec } from '@gradlab/core';
import type { MnistTrainingSettings } from '../../study-kit/mnist-training.js';

export interface PretrainingSettings extends MnistTrainingSettings {
  readonly hiddenLayers: number;
  /** Fine-tuning steps, the same for both arms. */
  readonly steps: number;
  /** Plain SGD's learning rate for fine-tuning. */
  readonly lr: number;
  /** "standard": U[-1/sqrt(fan-in), 1/sqrt(fan-in)], the random init of the papers' time. */
  readonly init: 'standard' | Initializer;
  /** The pre-trained arm's greedy layer-wise pre-training (autoencoders), or null for none. */
  readonly pretraining: PretrainingSpec | null;
}

export const ARMS = ['random', 'pretrained'] as const;
export type Arm = (typeof ARMS)[number];

/** The label of one run: an arm and a seed. */
export const runLabel = (arm: Arm, seed: number): string => `${arm}-seed${seed}`;

const full: PretrainingSettings = {
  hiddenLayers: 5,
  width: 128,
  seeds: [0, 1, 2],
  steps: 300,
  batchSize: 32,
  lr: 1,
  samples: 5000,
  init: 'standard',
  pretraining: { stepsPerLayer: 100, lr: 0.01 },
};

export const settings = {
  full,
  fast: {
    ...full,
    seeds: [0],
    steps: 200,
    samples: 2000,
    pretraining: { stepsPerLayer: 50, lr: 0.01 },
  },
};

export const scaleNote =
  "5 sigmoid hidden layers of 128 units (the papers: 1 to 5 layers of 500 to 2,000) on MNIST digits, each pre-trained as an autoencoder (Bengio et al. 2007's variant of Hinton et al.'s RBMs) for 100 Adam steps, then fine-tuned by SGD for 300 steps (the papers: many epochs of each). The random arm uses the initialisation of that time, U[-1/sqrt(n), 1/sqrt(n)], from which such a net stalls (see glorot-bengio); pre-training's advantage shows from the first fine-tuning step, as a larger gradient in the lower layers, and within a few hundred steps as accuracy. One seed is noisy, so the full run averages three.";
