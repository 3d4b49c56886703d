import type { Study } from '../../study.js';

/** The settings of the study and the labels of its runs: its plan, checks and figures read them. */
export interface PascanuClippingSettings {
  /** One pair of runs, without and with clipping, per seed. */
  readonly seeds: readonly number[];
  /** Sequence length of the adding problem the tanh RNN trains on. */
  readonly length: number;
  readonly hiddenSize: number;
  readonly steps: number;
  readonly batchSize: number;
  /** Plain SGD learning rate, the same in both arms. */
  readonly lr: number;
  /** Gain of the orthogonal recurrent kernel: above 1 the RNN starts in the exploding regime. */
  readonly recurrentGain: number;
  /** Global-norm threshold of the clipped arm. */
  readonly maxNorm: number;
  /** Whether the clipped arm clips (false only to show that its checks then fail). */
  readonly clipping: boolean;
  /** Sequence length T of the linear RNN whose gradient through time is compared with rho^(T-k). */
  readonly linearLength: number;
  readonly linearHiddenSize: number;
  /** Spectral radii of the linear RNN's recurrent kernel: below and above 1. */
  readonly rhos: readonly number[];
  /** The linear RNN's recurrent kernel: rho x orthogonal, or Gaussian with spectral radius ~rho. */
  readonly linearRecurrent: 'orthogonal' | 'gaussian';
}

/** The tanh RNN's two arms: the same run without and with global-norm clipping. */
export const ARMS = ['unclipped', 'clipped'] as const;
export type Arm = (typeof ARMS)[number];
export const ARM_TITLES: Readonly<Record<Arm, string>> = {
  unclipped: 'without clipping',
  clipped: 'with clipping',
};

/** The label of one tanh RNN run, and of one linear RNN run. */
export const rnnLabel = (arm: Arm, seed: number): string => `${arm}-seed${seed}`;
export const linearLabel = (rho: number): string => `linear-rho${rho}`;

const full: PascanuClippingSettings = {
  seeds: [0, 1, 2],
  length: 30,
  hiddenSize: 32,
  steps: 300,
  batchSize: 32,
  lr: 0.1,
  recurrentGain: 1.2,
  maxNorm: 1,
  clipping: true,
  linearLength: 50,
  linearHiddenSize: 32,
  rhos: [0.9, 1.1],
  linearRecurrent: 'orthogonal',
};

export const settings: Study<PascanuClippingSettings>['settings'] = {
  full,
  fast: { ...full, seeds: [0], steps: 100, linearLength: 30 },
};

export const scaleNote =
  'Pascanu et al. trained on synthetic long-range problems with sequences of up to a few hundred steps; here a 32-unit tanh RNN on the adding problem of length 30 trains for 300 SGD steps (100 in the fast run) at learning rate 0.1, from an orthogonal recurrent kernel of gain 1.2, three seeds (one in the fast run). The explosion needs neither long sequences nor long training: at this step size the unclipped run overflows within a few steps, so a short run shows it, and the clipped run has left its starting loss far behind within 100 steps (it does not solve the adding problem at this budget: its MSE ends near the predict-the-mean 1/6). The rho^(T-k) law is exact at any size; T = 50 (30 fast) spans 0.9^49 ~ 6e-3 to 1.1^49 ~ 1e2, measured before the first update.';
