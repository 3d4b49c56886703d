import type { ExperimentSpecInput, Initializer, PretrainingSpec } from '@gradlab/core';
import type {
  CheckResult,
  DeclaredCheck,
  FigurePoint,
  Study,
  StudyContext,
  StudyFigure,
  TrainedRun,
} from '../../study.js';
import { formatNumber, formatPercent } from '../training-measures/format.js';
import { finalAccuracy, finalLoss, firstStep } from '../training-measures/runs.js';
import { geometricMean, mean } from '../training-measures/series.js';
import { standardUniformInit } from '../training-measures/standard-init.js';

export interface PretrainingSettings {
  readonly hiddenLayers: number;
  readonly width: number;
  readonly seeds: readonly number[];
  /** Fine-tuning steps, the same for both arms. */
  readonly steps: number;
  readonly batchSize: number;
  /** Plain SGD's learning rate for fine-tuning. */
  readonly lr: number;
  /** MNIST digits to draw batches from. */
  readonly samples: number;
  /** "standard": U[-1/sqrt(fan-in), 1/sqrt(fan-in)], the random init of the papers' time. */
  readonly init: 'standard' | Initializer;
  /** The pre-trained arm's greedy layer-wise pre-training (autoencoders), or null for none. */
  readonly pretraining: PretrainingSpec | null;
}

/** The first layer's gradient must be at least this many times larger with pre-training. */
const GRADIENT_FACTOR = 3;
/** Mean accuracy gain of the pre-trained arm after fine-tuning, in accuracy points. */
const ACCURACY_GAIN = 0.1;

const CLAIMS = {
  'lower-layers-get-gradient':
    "At the start of fine-tuning the pre-trained net's first hidden layer receives a larger gradient than the randomly initialised net's.",
  'pretrained-fine-tunes-better':
    'After the same fine-tuning steps the pre-trained net reaches a lower loss and a higher accuracy than the randomly initialised one.',
} as const;

/**
 * What each check measures, its tolerance, and the settings that make it fail, with what the
 * fast run measured under them (pretraining.test.ts runs each).
 */
const COUNTERFACTUALS: Record<keyof typeof CLAIMS, Omit<DeclaredCheck, 'id' | 'claim'>> = {
  'lower-layers-get-gradient': {
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
};

const ARMS = ['random', 'pretrained'] as const;
type Arm = (typeof ARMS)[number];

interface SeedPair {
  readonly seed: number;
  readonly random: TrainedRun;
  readonly pretrained: TrainedRun;
}

function specFor(s: PretrainingSettings, arm: Arm, seed: number): ExperimentSpecInput {
  const widths = Array<number>(s.hiddenLayers).fill(s.width);
  return {
    gradlab: 1,
    name: `pretraining-${arm}-seed${seed}`,
    seed,
    data: { kind: 'mnist', samples: s.samples },
    model: {
      kind: 'mlp',
      depth: s.hiddenLayers + 1,
      width: s.width,
      activation: 'sigmoid',
      init: s.init === 'standard' ? standardUniformInit(784, widths) : s.init,
    },
    training: {
      steps: s.steps,
      batchSize: s.batchSize,
      optimizer: { kind: 'sgd', lr: s.lr },
      pretraining: arm === 'pretrained' ? s.pretraining : null,
    },
    // Full diagnostics on the first and last step: the checks need the start of fine-tuning.
    diagnostics: { every: s.steps },
  };
}

async function trainPairs(ctx: StudyContext, s: PretrainingSettings): Promise<SeedPair[]> {
  const pairs: SeedPair[] = [];
  const total = s.seeds.length * ARMS.length;
  let done = 0;
  for (const seed of s.seeds) {
    const runs: Partial<Record<Arm, TrainedRun>> = {};
    for (const arm of ARMS) {
      ctx.signal?.throwIfAborted();
      const label = `${arm}-seed${seed}`;
      ctx.progress(`training ${label}`, done / total);
      runs[arm] = await ctx.train(label, specFor(s, arm, seed));
      done++;
    }
    pairs.push({
      seed,
      random: runs.random as TrainedRun,
      pretrained: runs.pretrained as TrainedRun,
    });
  }
  ctx.progress('done', 1);
  return pairs;
}

/** Kernel gradient norm of every layer at step 1 of fine-tuning, input side first. */
const startGradients = (run: TrainedRun): number[] => firstStep(run).layers.map((l) => l.gradNorm);

function checks(s: PretrainingSettings, pairs: readonly SeedPair[]): CheckResult[] {
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
  return [
    {
      id: 'lower-layers-get-gradient',
      claim: CLAIMS['lower-layers-get-gradient'],
      pass: factor >= GRADIENT_FACTOR && factors.every((f) => f > 1),
      measured: `first-layer gradient ${formatNumber(factor)} times the random net's (geometric mean; per seed ${factors.map(formatNumber).join(', ')}), with ${preText}`,
      expected: `at least ${GRADIENT_FACTOR} times, and larger on every seed (||dL/dW1|| at step 1 of fine-tuning, same batch)`,
      values: {
        factor,
        threshold: GRADIENT_FACTOR,
        minFactor: Math.min(...factors),
      },
    },
    {
      id: 'pretrained-fine-tunes-better',
      claim: CLAIMS['pretrained-fine-tunes-better'],
      pass: gain >= ACCURACY_GAIN && lowerEverywhere,
      measured: `accuracy ${accuracy('pretrained').map(formatPercent).join(', ')} against ${accuracy('random').map(formatPercent).join(', ')} (mean gain ${formatPercent(gain)}); loss ${loss('pretrained').map(formatNumber).join(', ')} against ${loss('random').map(formatNumber).join(', ')}`,
      expected: `mean accuracy at least ${formatPercent(ACCURACY_GAIN)} higher over the seeds, and a lower loss on every seed, after ${s.steps} fine-tuning steps (inference mode, 1,024 digits)`,
      values: {
        gain,
        threshold: ACCURACY_GAIN,
        meanPretrained: mean(accuracy('pretrained')),
        meanRandom: mean(accuracy('random')),
        lowerLossEverySeed: lowerEverywhere ? 1 : 0,
      },
    },
  ];
}

function figures(s: PretrainingSettings, pairs: readonly SeedPair[]): StudyFigure[] {
  const layers = s.hiddenLayers + 1;
  const gradients: FigurePoint[] = ARMS.flatMap((arm) =>
    Array.from({ length: layers }, (_, l) => ({
      series: arm,
      x: l + 1,
      y: geometricMean(pairs.map((p) => startGradients(p[arm])[l] as number)),
    })),
  );
  const losses: FigurePoint[] = ARMS.flatMap((arm) =>
    Array.from({ length: s.steps }, (_, i) => ({
      series: arm,
      x: i + 1,
      y: mean(pairs.map((p) => p[arm].losses[i] as number)),
    })),
  );
  return [
    {
      id: 'start-gradients',
      title: 'Gradient per layer at the start of fine-tuning',
      kind: 'line',
      x: { title: `dense layer (input side first; ${layers} is the output)` },
      y: { title: '||dL/dW|| at step 1 (geometric mean over seeds)', log: true },
      points: gradients,
      caption:
        'Pre-training leaves the lower layers with weights that carry the input, and a larger gradient.',
    },
    {
      id: 'fine-tuning-loss',
      title: 'Fine-tuning loss',
      kind: 'line',
      x: { title: 'step' },
      y: { title: 'cross-entropy (mean over seeds)' },
      points: losses,
    },
  ];
}

export const pretrainingStudy: Study<PretrainingSettings> = {
  name: 'pretraining',
  title: 'Greedy layer-wise pre-training of a deep sigmoid net versus random initialisation',
  reference:
    'Hinton, Osindero & Teh (2006), A fast learning algorithm for deep belief nets, Neural Computation; Bengio, Lamblin, Popovici & Larochelle (2007), Greedy layer-wise training of deep networks, NeurIPS; Erhan, Bengio, Courville, Manzagol, Vincent & Bengio (2010), Why does unsupervised pre-training help deep learning?, JMLR.',
  claim:
    'Pre-training each layer of a deep sigmoid network as an autoencoder, one after the other, before supervised fine-tuning gives its lower layers a usable gradient and a network that fine-tunes to a lower loss and a higher accuracy than the same network from random initialisation.',
  usesBackend: true,
  checks: Object.entries(CLAIMS).map(([id, claim]) => ({
    id,
    claim,
    ...COUNTERFACTUALS[id as keyof typeof CLAIMS],
  })),
  settings: {
    full: {
      hiddenLayers: 5,
      width: 128,
      seeds: [0, 1, 2],
      steps: 300,
      batchSize: 32,
      lr: 1,
      samples: 5000,
      init: 'standard',
      pretraining: { stepsPerLayer: 100, lr: 0.01 },
    },
    fast: {
      hiddenLayers: 5,
      width: 128,
      seeds: [0],
      steps: 200,
      batchSize: 32,
      lr: 1,
      samples: 2000,
      init: 'standard',
      pretraining: { stepsPerLayer: 50, lr: 0.01 },
    },
  },
  scaleNote:
    "5 sigmoid hidden layers of 128 units (the papers: 1 to 5 layers of 500 to 2,000) on MNIST digits, each pre-trained as an autoencoder (Bengio et al. 2007's variant of Hinton et al.'s RBMs) for 100 Adam steps, then fine-tuned by SGD for 300 steps (the papers: many epochs of each). The random arm uses the initialisation of that time, U[-1/sqrt(n), 1/sqrt(n)], from which such a net stalls (see glorot-bengio); pre-training's advantage shows from the first fine-tuning step, as a larger gradient in the lower layers, and within a few hundred steps as accuracy. One seed is noisy, so the full run averages three.",
  run: async (ctx, settings) => {
    const pairs = await trainPairs(ctx, settings);
    return {
      checks: checks(settings, pairs),
      figures: figures(settings, pairs),
      tables: [
        {
          id: 'runs',
          title: 'Per seed and arm',
          columns: [
            'seed',
            'arm',
            '||dL/dW1|| at step 1',
            'first/last ||dL/dh||, step 1',
            'reconstruction MSE per layer (first -> last)',
            'loss (inference)',
            'accuracy (inference)',
          ],
          rows: pairs.flatMap((p) =>
            ARMS.map((arm) => [
              p.seed,
              arm,
              formatNumber(startGradients(p[arm])[0]),
              formatNumber(firstStep(p[arm]).signal?.ratioFirstToLast),
              p[arm].result.pretraining
                .map((l) => `${formatNumber(l.firstLoss)} -> ${formatNumber(l.lastLoss)}`)
                .join('; ') || '-',
              formatNumber(finalLoss(p[arm])),
              formatPercent(finalAccuracy(p[arm])),
            ]),
          ),
        },
      ],
    };
  },
};
