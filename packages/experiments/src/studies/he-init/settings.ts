import type { Initializer } from '@gradlab/core';
import { armsBySeed, drawsByArm } from '../../study-kit/arm-runs.js';
import type { MnistTrainingSettings } from '../../study-kit/mnist-training.js';

export interface HeInitSettings extends MnistTrainingSettings {
  /** Dense layers, the output layer included: He et al.'s 30-layer model. */
  readonly depth: number;
  /** Learning rate of SGD with momentum 0.9, the same for both arms. */
  readonly lr: number;
  /** Initialiser of the arm labelled "xavier" (a counterfactual gives it He's). */
  readonly xavierInit: Initializer;
  /** Initialiser of the arm labelled "he". */
  readonly heInit: Initializer;
  /**
   * Random networks per arm, drawn like the trained ones and measured at initialisation (one
   * step each), whose signal profiles the slope checks average: one network's slope scatters by
   * 0.025 log2 per layer at width 64, so a tolerance that sees a 10% error in Var(w) needs many.
   */
  readonly signalDraws: number;
}

export const ARMS = ['xavier', 'he'] as const;
export type Arm = (typeof ARMS)[number];
export const ARM_TITLE: Record<Arm, string> = { xavier: 'Xavier', he: 'He' };

/** The random networks measured at initialisation, arm by arm: "xavier-draw0", ... */
export const drawnNets = (s: HeInitSettings) =>
  drawsByArm(ARMS, s.signalDraws, (arm, seed) => `${arm}-draw${seed}`);

/** The trained networks, seed by seed: "xavier-seed0", "he-seed0", ... */
export const trainedNets = (s: HeInitSettings) =>
  armsBySeed(ARMS, s.seeds, (arm, seed) => `${arm}-seed${seed}`);

/** The setting that holds each arm's initialiser (a counterfactual swaps or scales them). */
export const INIT_SETTING = { xavier: 'xavierInit', he: 'heInit' } as const satisfies Record<
  Arm,
  keyof HeInitSettings
>;

const full: HeInitSettings = {
  depth: 30,
  width: 64,
  seeds: [0, 1, 2],
  steps: 300,
  batchSize: 64,
  lr: 0.01,
  samples: 4000,
  xavierInit: 'xavier-normal',
  heInit: 'he-normal',
  signalDraws: 24,
};

export const settings = { full, fast: { ...full, seeds: [0], steps: 150, samples: 2000 } };

export const scaleNote =
  'The 30 layers of the claim are kept; the width is 64 instead of convolutions with hundreds of channels, on MNIST digits instead of ImageNet, for a few hundred steps. The per-layer factor n Var(w) / 2 does not depend on the width, so the slope of the signal profile is the same (width adds fluctuations around it of order 1/width): it is measured at step 1 on 24 random networks per arm, drawn like the trained ones, whose mean slope is known to 0.005 log2 per layer, against a tolerance of 0.035: enough to see a 10% error in Var(w) (0.069 per layer, a factor 14 on the second moment over the 28 layers); and the stall needs only the first steps: with Xavier, the output sees a signal 2^-14.5 times the input and the first layers get almost no gradient, so SGD has nothing to follow.';
