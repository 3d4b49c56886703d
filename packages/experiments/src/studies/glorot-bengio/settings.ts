import type { Initializer } from '@gradlab/core';
import { armsBySeed, drawsByArm } from '../../study-kit/arm-runs.js';
import type { MnistTrainingSettings } from '../../study-kit/mnist-training.js';

/** One network of the comparison. */
export interface GlorotArm {
  /** A bounded activation: where it saturates is what the study measures. */
  readonly activation: 'sigmoid' | 'tanh';
  /** "standard": U[-1/sqrt(fan-in), 1/sqrt(fan-in)], the heuristic the paper starts from. */
  readonly init: 'standard' | Initializer;
  /** Plain SGD's learning rate. */
  readonly lr: number;
  /**
   * The initialiser the variance argument is evaluated for; by default the arm's own. Another
   * one is a wrong prediction (a counterfactual), which the variance check must reject.
   */
  readonly theoryInit?: 'standard' | Initializer;
}

export interface GlorotBengioSettings extends MnistTrainingSettings {
  readonly hiddenLayers: number;
  /** Full diagnostics (activation means) every this many steps. */
  readonly diagnosticsEvery: number;
  /** The network the paper watched saturate: sigmoid with the standard init. */
  readonly saturating: GlorotArm;
  /** The paper's remedy: tanh with the normalised (Xavier) init. */
  readonly normalised: GlorotArm;
  /**
   * The remedy's activation with the standard init (the paper's "Tanh" against "Tanh-N"): the
   * normalised init is judged by how much faster the same tanh net trains with it than with this.
   */
  readonly standardTanh: GlorotArm;
  /**
   * Random networks per arm, drawn like the trained ones and measured at initialisation (one
   * step each), whose backward gains the variance argument averages: one layer's gain scatters
   * by about 5% at width 128, so a tolerance of a few percent needs many layers.
   */
  readonly varianceDraws: number;
}

export const ARMS = ['saturating', 'normalised', 'standardTanh'] as const;
export type Arm = (typeof ARMS)[number];
/** The nets whose backward gains the variance argument judges. */
export const VARIANCE_ARMS = ['saturating', 'normalised'] as const;
export type VarianceArm = (typeof VARIANCE_ARMS)[number];

/** The random networks measured at initialisation, arm by arm: "sigmoid-saturating-draw0", ... */
export const drawnNets = (s: GlorotBengioSettings) =>
  drawsByArm(
    VARIANCE_ARMS,
    s.varianceDraws,
    (arm, seed) => `${s[arm].activation}-${arm}-draw${seed}`,
  );

/** The trained networks, seed by seed: "sigmoid-saturating-seed0", ... */
export const trainedNets = (s: GlorotBengioSettings) =>
  armsBySeed(ARMS, s.seeds, (arm, seed) => `${s[arm].activation}-${arm}-seed${seed}`);

/** "saturating: sigmoid, standard init". */
export function armTitle(s: GlorotBengioSettings, arm: Arm): string {
  const { activation, init } = s[arm];
  return `${arm}: ${activation}, ${typeof init === 'string' ? init : init.kind} init`;
}

const full: GlorotBengioSettings = {
  hiddenLayers: 4,
  width: 128,
  seeds: [0, 1, 2],
  steps: 300,
  batchSize: 32,
  samples: 5000,
  diagnosticsEvery: 10,
  saturating: { activation: 'sigmoid', init: 'standard', lr: 1 },
  normalised: { activation: 'tanh', init: 'xavier-uniform', lr: 0.1 },
  standardTanh: { activation: 'tanh', init: 'standard', lr: 0.1 },
  varianceDraws: 32,
};

export const settings = { full, fast: { ...full, seeds: [0], steps: 150, samples: 2000 } };

export const scaleNote =
  "4 hidden layers of 128 units (the paper trained 1 to 5 hidden layers of 1,000 units), on MNIST digits (one of the paper's data sets), by plain SGD with batch 32, for a few hundred steps instead of hundreds of thousands. The saturation is a fast effect: it appears in the first tens of updates, and in the paper lasts for about 100 epochs before the layer escapes, so a few hundred steps see it set in, not end. Each net has its own step size (as the paper tuned each): the sigmoid net the larger (1 against 0.1, since sigmoid's slope is at most 1/4), which favours it. The normalised init is judged against the same tanh net with the standard init (the paper's Tanh against Tanh-N), trained alike: its training loss averaged over the steps, the area under its learning curve, was 0.49 of the standard init's after 300 steps on 6 seeds (the standard init's first reached a loss of 1 after 98 to 115 steps, the normalised one's after 21 to 25). The variance argument is checked at step 1 on 32 random networks per net, drawn like the trained ones: at width 128 one layer's gain scatters by about 5% around n Var(W) E[phi'^2] (the top signal has rank at most 10, the classes, so the scatter comes from the weights, and a larger batch does not lower it), and the 96 layers bring the mean to within 0.5%, against the 2% tolerance.";
