import type { Activation, Initializer } from '@gradlab/core';

/** A deep plain MLP whose gradient vanishes, and why. */
export interface PlainNet {
  readonly activation: Activation;
  readonly init: Initializer;
}

export interface ResidualNormSettings {
  /** Dense layers, the output layer included. */
  readonly depth: number;
  readonly width: number;
  readonly seed: number;
  readonly steps: number;
  readonly batchSize: number;
  /** Adam's learning rate, the same for every arm. */
  readonly lr: number;
  /** Examples of the teacher classification task (16 inputs, 4 classes). */
  readonly samples: number;
  /** Vanishes because its weights are too small: tanh with N(0, 0.05^2), gain 0.05 sqrt(64) = 0.4 per layer. */
  readonly smallWeights: PlainNet;
  /** Vanishes because of its activation: sigmoid's slope is at most 1/4, even with Xavier init. */
  readonly sigmoid: PlainNet;
  /** Each remedy as a `gradlab compare --with` variant, or "none" to train the plain net instead. */
  readonly residual: string;
  readonly batchnorm: string;
  readonly layernorm: string;
}

export const NETS = ['smallWeights', 'sigmoid'] as const;
export type Net = (typeof NETS)[number];
export const NET_TITLE: Record<Net, string> = {
  smallWeights: 'small-weights net',
  sigmoid: 'sigmoid net',
};
export const ARMS = ['plain', 'residual', 'batchnorm', 'layernorm'] as const;
export type Arm = (typeof ARMS)[number];

const full: ResidualNormSettings = {
  depth: 20,
  width: 64,
  seed: 0,
  steps: 150,
  batchSize: 64,
  lr: 0.003,
  samples: 2048,
  smallWeights: { activation: 'tanh', init: { kind: 'normal', std: 0.05 } },
  sigmoid: { activation: 'sigmoid', init: 'xavier-normal' },
  residual: 'residual',
  batchnorm: 'batchnorm',
  layernorm: 'layernorm',
};

export const settings = { full, fast: { ...full, steps: 50 } };

export const scaleNote =
  'Two 20-layer MLPs of width 64 on a 4-class teacher task, trained by Adam for 150 steps (50 in the fast run): one vanishes because its weights are too small (tanh, N(0, 0.05^2): 0.4 per layer, 0.4^19 ~ 3e-8 over the net), one because of its activation (sigmoid with Xavier init: slope at most 1/4). Vanishing is a property of the initialised network, measured at step 1, and it decides within tens of steps whether the net learns, so these short runs show what the papers showed on ImageNet-scale nets over many epochs. Residual blocks are 2 layers (the mitigation "residual"), BatchNorm and LayerNorm sit between each dense layer and its activation, as in the papers.';
