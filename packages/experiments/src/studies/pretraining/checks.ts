import { declareChecks, judged } from '../../define/define-study.js';
import type { CheckResult, StudyRuns, TrainedRun } from '../../study.js';
import { formatNumber, formatPercent } from '../../study-kit/format.js';
import { finalAccuracy, finalLoss, firstStep } from '../../study-kit/runs.js';
import { geometricMean, mean } from '../../study-kit/series.js';
import { type Arm, type PretrainingSettings, runLabel } from './settings.js';

/** The first layer's gradient must be at least this many times larger with pre-training. */
const GRADIENT_FACTOR = 3;
/** Mean accuracy gain of the pre-trained arm after fine-tuning, in accuracy points. */
const ACCURACY_GAIN = 0.1;

/**
 * What each check claims and measures, its tolerance, and the settings that make it fail, with
 * what the fast run measured under them (pretraining.test.ts runs each).
 */
export const declared = declareChecks({
  'lower-layers-get-gradient': {
    claim:
      "At the start of fine-tuning the pre-trained net's first hidden layer receives a larger gradient than the randomly initialised net's.",
    measures:
      "||dL/dW1||, the first layer's kernel gradient, at step 1 of fine-tuning on the same batch: the pre-trained net's over the random net's, geometric mean over the seeds.",
    tolerance: 'At least 3, and above 1 on every seed; measured 22.7 (fast).',
    counterfactuals: [
      {
        change:
          '`pretraining: { stepsPerLayer: 1, lr: 0.01 }` (one step per layer: no pre-training)',
        measured: '0.69.',
      },
    ],
  },
  'pretrained-fine-tunes-better': {
    claim:
      'After the same fine-tuning steps the pre-trained net reaches a lower loss and a higher accuracy than the randomly initialised one.',
    measures:
      'Accuracy and loss after the fine-tuning steps (inference mode on 1,024 digits), pre-trained against random.',
    tolerance:
      'Mean accuracy at least 10 points higher and a lower loss on every seed; measured 27.3% against 10.4% and 1.71 against 2.31 (fast).',
    counterfactuals: [
      {
        change: '`pretraining: { stepsPerLayer: 1, lr: 0.01 }`',
        measured: '11.1% against 10.4% (0.8 points), loss 2.31 against 2.31.',
      },
    ],
  },
});

/** Both arms of one seed. */
export interface SeedPair {
  readonly seed: number;
  readonly random: TrainedRun;
  readonly pretrained: TrainedRun;
}

export const seedPairs = (s: PretrainingSettings, runs: StudyRuns): SeedPair[] =>
  s.seeds.map((seed) => ({
    seed,
    random: runs.get(runLabel('random', seed)),
    pretrained: runs.get(runLabel('pretrained', seed)),
  }));

/** Kernel gradient norm of every layer at step 1 of fine-tuning, input side first. */
export const startGradients = (run: TrainedRun): number[] =>
  firstStep(run).layers.map((l) => l.gradNorm);

export function checks(s: PretrainingSettings, pairs: readonly SeedPair[]): CheckResult[] {
  const factors = pairs.map(
    (p) => (startGradients(p.pretrained)[0] as number) / (startGradients(p.random)[0] as number),
  );
  const factor = geometricMean(factors);
  const accuracy = (arm: Arm) => pairs.map((p) => finalAccuracy(p[arm]));
  const loss = (arm: Arm) => pairs.map((p) => finalLoss(p[arm]));
  const gain = mean(accuracy('pretrained')) - mean(accuracy('random'));
  const lowerEverywhere = pairs.every((p) => finalLoss(p.pretrained) < finalLoss(p.random));
  const pre = s.pretraining;
  const preText = pre ? `${pre.stepsPerLayer} steps per layer` : 'no pre-training';
  const list = (arm: Arm, f: (arm: Arm) => number[], show: (x: number) => string) =>
    f(arm).map(show).join(', ');
  return [
    judged(declared, 'lower-layers-get-gradient', {
      pass: factor >= GRADIENT_FACTOR && factors.every((f) => f > 1),
      measured: `first-layer gradient ${formatNumber(factor)} times the random net's (geometric mean; per seed ${factors.map(formatNumber).join(', ')}), with ${preText}`,
      expected: `at least ${GRADIENT_FACTOR} times, and larger on every seed (||dL/dW1|| at step 1 of fine-tuning, same batch)`,
      values: { factor, threshold: GRADIENT_FACTOR, minFactor: Math.min(...factors) },
    }),
    judged(declared, 'pretrained-fine-tunes-better', {
      pass: gain >= ACCURACY_GAIN && lowerEverywhere,
      measured: `accuracy ${list('pretrained', accuracy, formatPercent)} against ${list('random', accuracy, formatPercent)} (mean gain ${formatPercent(gain)}); loss ${list('pretrained', loss, formatNumber)} against ${list('random', loss, formatNumber)}`,
      expected: `mean accuracy at least ${formatPercent(ACCURACY_GAIN)} higher over the seeds, and a lower loss on every seed, after ${s.steps} fine-tuning steps (inference mode, 1,024 digits)`,
      values: {
        gain,
        threshold: ACCURACY_GAIN,
        meanPretrained: mean(accuracy('pretrained')),
        meanRandom: mean(accuracy('random')),
        lowerLossEverySeed: lowerEverywhere ? 1 : 0,
      },
    }),
  ];
}
