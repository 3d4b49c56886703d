import { type ExperimentSpecInput, teacherData } from '@gradlab/core';
import type { Study } from '../../study.js';

/** A learning-rate schedule as a spec's training.schedule takes it (warm-up included). */
export type ScheduleSpecInput = NonNullable<
  NonNullable<ExperimentSpecInput['training']>['schedule']
>;

/** A schedule of the comparison, and the name its runs are recorded under. */
export interface DecaySchedule {
  readonly label: string;
  readonly schedule: ScheduleSpecInput;
}

/**
 * Two parts: gradient descent on one linear layer, where the threshold 2/L is exact, and SGD on
 * a deep ReLU network (the `deep*` settings), where too large a step blows the gradient up.
 */
export interface LrSchedulesSettings {
  /** Teacher regression of both parts: inputs and outputs. */
  readonly inputSize: number;
  readonly outputSize: number;
  /** Examples of the quadratic part (every step sees all of them). */
  readonly samples: number;
  /** Examples per step: the whole set is gradient descent, where the 2/L law is exact. */
  readonly batchSize: number;
  readonly steps: number;
  /** Seed of the quadratic part (the deep part runs deepSeeds). */
  readonly seed: number;
  /** Learning rates as multiples of the critical rate 2/L. */
  readonly smallFactor: number;
  readonly largeFactor: number;
  /** The threshold is probed at (1 - margin) and (1 + margin) times 2/L. */
  readonly thresholdMargin: number;
  /** Schedules that start from the large rate and decay. */
  readonly decays: readonly DecaySchedule[];
  /** Dense layers of the ReLU network (He init), the output layer included. */
  readonly deepDepth: number;
  readonly deepWidth: number;
  /** Teacher examples; the trained network is evaluated on (up to 1,024 of) them. */
  readonly deepSamples: number;
  /** Mini-batch SGD: the noise and the depth are what make the blow-up deep-network-like. */
  readonly deepBatchSize: number;
  readonly deepSteps: number;
  /** Steps of the constant large-rate runs: enough to see a blow-up that comes within a few. */
  readonly deepLargeSteps: number;
  /** Every arm runs once per seed (the seed draws the teacher, the weights and the batches). */
  readonly deepSeeds: readonly number[];
  readonly deepSmallLr: number;
  readonly deepLargeLr: number;
  /** Schedules whose peak rate is deepLargeLr (warm-up + cosine, ...). */
  readonly deepDecays: readonly DecaySchedule[];
}

/** The teacher data of both parts: a seed's inputs and targets (noise-free regression). */
export const teacherOf = (s: LrSchedulesSettings, seed: number, samples: number) =>
  teacherData(seed, {
    task: 'regression',
    inputSize: s.inputSize,
    outputSize: s.outputSize,
    samples,
    noise: 0,
  });

const CONSTANT: ScheduleSpecInput = { kind: 'constant' };

/**
 * The linear layer's runs, in this order: the small and the large constant rate, just below and
 * just above 2/L, then each decay from the large rate. The rate of each is `factor` x 2/L.
 */
export function linearArms(s: LrSchedulesSettings) {
  const arm = (label: string, factor: number, schedule = CONSTANT) => ({ label, factor, schedule });
  return [
    arm('small-constant', s.smallFactor),
    arm('large-constant', s.largeFactor),
    arm('just-below', 1 - s.thresholdMargin),
    arm('just-above', 1 + s.thresholdMargin),
    ...s.decays.map((d) => arm(`large-${d.label}`, s.largeFactor, d.schedule)),
  ];
}

/** The label of a deep-network run, and the prefix of its values in the checks. */
export const deepLabel = (arm: string, seed: number): string => `deep-${arm}-s${seed}`;

/**
 * The deep network's runs, seed by seed: the large constant rate, the small one, then each
 * schedule peaking at the large rate (`lr` is a schedule's peak).
 */
export function deepRuns(s: LrSchedulesSettings) {
  const arm = (name: string, lr: number, steps: number, schedule = CONSTANT) => ({
    arm: name,
    lr,
    steps,
    schedule,
  });
  const arms = [
    arm('large-constant', s.deepLargeLr, s.deepLargeSteps),
    arm('small-constant', s.deepSmallLr, s.deepSteps),
    ...s.deepDecays.map((d) => arm(d.label, s.deepLargeLr, s.deepSteps, d.schedule)),
  ];
  return s.deepSeeds.flatMap((seed) =>
    arms.map((a) => ({ ...a, seed, label: deepLabel(a.arm, seed) })),
  );
}

const full: LrSchedulesSettings = {
  inputSize: 32,
  outputSize: 4,
  samples: 512,
  batchSize: 512,
  steps: 200,
  seed: 0,
  smallFactor: 0.5,
  largeFactor: 1.2,
  thresholdMargin: 0.05,
  decays: [
    { label: 'step', schedule: { kind: 'step', every: 20, factor: 0.5 } },
    { label: 'exponential', schedule: { kind: 'exponential', rate: 0.97 } },
    { label: 'cosine', schedule: { kind: 'cosine' } },
  ],
  deepDepth: 12,
  deepWidth: 64,
  deepSamples: 1024,
  deepBatchSize: 64,
  deepSteps: 300,
  deepLargeSteps: 50,
  deepSeeds: [0, 1, 2, 3, 4],
  deepSmallLr: 0.03,
  deepLargeLr: 0.5,
  deepDecays: [{ label: 'warmup-cosine', schedule: { kind: 'cosine', warmupSteps: 100 } }],
};

export const settings: Study<LrSchedulesSettings>['settings'] = {
  full,
  fast: { ...full, steps: 120, deepSeeds: [0, 1] },
};

export const scaleNote =
  "Part 1 takes the smallest case where the 2/L law is exact: one linear layer (32 inputs, 4 outputs) fitted by MSE to 512 examples of a teacher network, every step on the whole set (gradient descent, not SGD). L, the largest eigenvalue of the loss's Hessian, and the least-squares minimum are computed from the same data in float64 on the host. Constant rates of 0.5, 0.95, 1.05 and 1.2 x 2/L, and a step (x0.5 every 20 steps), exponential (x0.97 per step) and cosine decay from 1.2 x 2/L, run 200 steps (120 in the fast run): at 1.05 x the error along the sharpest direction grows by 1.1 per step, past 1e3 within 120 steps, and below 2/L every direction shrinks by a factor of at most ~0.9 per step, down to float32's resolution of the minimum; with mini-batches the curvature of each batch is larger and the threshold lower (the tests show the law failing there). " +
  "Part 2 is the exploding case of a deep network: a 12-layer ReLU MLP (width 64, He init) fitted by MSE to 1,024 examples of the same kind of teacher, SGD on batches of 64 for 300 steps, 5 seeds (2 in the fast run; the steps are kept, as 200 leave the small rate too close to the bar), each with a constant rate of 0.5 (50 steps: it blows up within a few), a constant rate of 0.03, and a linear warm-up over 100 steps to 0.5 followed by a cosine decay to 0. The network's output is a product of 12 layers, so there is no closed-form threshold; it depends on the initial weights, and 0.5 is chosen well past it. Measured on 16 seeds: at 0.5 the loss and the gradient norm went past 1e3 x their first values, or overflowed, within 4 steps every time (0.3 blew up on 12 of 12 seeds, 0.2 on 9 of 12): the first update moves the weights by 16% to 78% of their norm along the directions the layers amplify, and the next gradient is 1e2 to 1e8 times larger. At 0.03 all 16 converged, to 0.05-0.36 of the first loss and 0.39-0.65 of the mean predictor's; the warm-up to 0.5 converged on all 16 too (0.035-0.30 of the first loss, 0.29-0.57 of the mean predictor's). By the time the warm-up reaches 0.5 the gradient is 40 to 110 times smaller than at initialisation, so the same rate no longer throws the weights far (Goyal et al. 2017; Gilmer et al. 2022 trace this to the curvature falling during warm-up). The same warm-up held at 0.5 without a decay converged on the 8 seeds tried: in this network the warm-up is what rescues the large rate, and the decay lowers the final loss; a cosine decay from 0.5 without warm-up is still near 0.5 when the blow-up comes, and fails (the tests show it).";
