import {
  type ExperimentSpecInput,
  GradlabError,
  type Initializer,
  type StepDiagnostics,
} from '@gradlab/core';
import type { CheckResult, FigurePoint, Study, StudyContext, TrainedRun } from '../../study.js';
import { formatNumber, formatPercent } from '../training-measures/format.js';
import { finalAccuracy, finalLoss, fullSteps } from '../training-measures/runs.js';
import { mean } from '../training-measures/series.js';
import { standardUniformInit } from '../training-measures/standard-init.js';

/** One network of the comparison. */
export interface GlorotArm {
  /** A bounded activation: where it saturates is what the study measures. */
  readonly activation: 'sigmoid' | 'tanh';
  /** "standard": U[-1/sqrt(fan-in), 1/sqrt(fan-in)], the heuristic the paper starts from. */
  readonly init: 'standard' | Initializer;
  /** Plain SGD's learning rate. */
  readonly lr: number;
}

export interface GlorotBengioSettings {
  readonly hiddenLayers: number;
  readonly width: number;
  readonly seeds: readonly number[];
  readonly steps: number;
  readonly batchSize: number;
  /** MNIST digits to draw batches from. */
  readonly samples: number;
  /** Full diagnostics (activation means) every this many steps. */
  readonly diagnosticsEvery: number;
  /** The network the paper watched saturate: sigmoid with the standard init. */
  readonly saturating: GlorotArm;
  /** The paper's remedy: tanh with the normalised (Xavier) init. */
  readonly normalised: GlorotArm;
}

/** The lower saturation value and midpoint of each bounded activation. */
const RANGE: Record<GlorotArm['activation'], { low: number; mid: number }> = {
  sigmoid: { low: 0, mid: 0.5 },
  tanh: { low: -1, mid: 0 },
};
/** "Near 0": within a fifth of the way from the lower bound to the midpoint where it starts. */
const TOP_NEAR_LOW = 0.2;
/** The lower layers stay at least this share of the way from the lower bound to the midpoint. */
const LOWER_AWAY_FROM_LOW = 0.8;
/** Ten digits: a uniform guess has cross-entropy ln 10. */
const CHANCE_LOSS = Math.log(10);
/** "Learns slowly": its loss is still above this share of the chance loss. */
const SLOW_MIN_SHARE_OF_CHANCE = 0.9;
const ACCURACY_MARGIN = 0.3;
/** "Trains": its loss ends below this share of the chance loss. */
const TRAINS_MAX_SHARE_OF_CHANCE = 0.5;

const CLAIMS = {
  'top-layer-saturates':
    'Trained from the standard init, the deep sigmoid net drives its top hidden layer to the lower saturation value 0, while the lower layers stay near or above 0.5.',
  'sigmoid-learns-slowly':
    'Meanwhile the sigmoid net learns slowly: in the steps the tanh net needs to train, its loss stays near that of a uniform guess.',
  'tanh-xavier-trains':
    'The tanh net with normalised (Xavier) initialisation trains: after the same steps its loss is far below chance and its accuracy beats the sigmoid net by a wide margin.',
} as const;

const ARMS = ['saturating', 'normalised'] as const;
type Arm = (typeof ARMS)[number];

interface ArmSeed {
  readonly arm: Arm;
  readonly seed: number;
  readonly run: TrainedRun;
}

/** "saturating: sigmoid, standard init". */
function armTitle(s: GlorotBengioSettings, arm: Arm): string {
  const { activation, init } = s[arm];
  return `${arm}: ${activation}, ${typeof init === 'string' ? init : init.kind} init`;
}

function validateArm(arm: GlorotArm, field: string): void {
  if (!(arm.activation in RANGE)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `settings.${field}.activation is "${arm.activation}"; allowed: sigmoid or tanh (a bounded activation, whose saturation the study measures)`,
    );
  }
}

function specFor(s: GlorotBengioSettings, arm: Arm, seed: number): ExperimentSpecInput {
  const a = s[arm];
  const widths = Array<number>(s.hiddenLayers).fill(s.width);
  return {
    gradlab: 1,
    name: `glorot-bengio-${arm}-seed${seed}`,
    seed,
    data: { kind: 'mnist', samples: s.samples },
    model: {
      kind: 'mlp',
      depth: s.hiddenLayers + 1,
      width: s.width,
      activation: a.activation,
      init: a.init === 'standard' ? standardUniformInit(784, widths) : a.init,
    },
    training: {
      steps: s.steps,
      batchSize: s.batchSize,
      optimizer: { kind: 'sgd', lr: a.lr },
    },
    diagnostics: { every: s.diagnosticsEvery },
  };
}

/** Mean activation of each hidden layer at a full-diagnostic step, input side first. */
function hiddenMeans(step: StepDiagnostics): number[] {
  return step.layers.slice(0, -1).map((l) => l.activationMean ?? Number.NaN);
}

/** Where a mean sits between the activation's lower bound (0) and its midpoint (1). */
function fromLow(activation: GlorotArm['activation'], value: number): number {
  const { low, mid } = RANGE[activation];
  return (value - low) / (mid - low);
}

function saturationCheck(s: GlorotBengioSettings, runs: readonly ArmSeed[]): CheckResult {
  const act = s.saturating.activation;
  const own = runs.filter((r) => r.arm === 'saturating');
  const perSeed = own.map((r) => {
    const steps = fullSteps(r.run);
    const end = hiddenMeans(steps.at(-1) as StepDiagnostics);
    const top = end.at(-1) as number;
    const lower = end.slice(0, -1);
    const reached = steps.find(
      (d) => fromLow(act, hiddenMeans(d).at(-1) as number) <= TOP_NEAR_LOW,
    );
    return { seed: r.seed, top, lower, reached: reached?.step ?? null };
  });
  const pass = perSeed.every(
    (p) =>
      fromLow(act, p.top) <= TOP_NEAR_LOW &&
      p.lower.every((m) => fromLow(act, m) >= LOWER_AWAY_FROM_LOW),
  );
  const { low, mid } = RANGE[act];
  const topLimit = low + TOP_NEAR_LOW * (mid - low);
  const lowerLimit = low + LOWER_AWAY_FROM_LOW * (mid - low);
  return {
    id: 'top-layer-saturates',
    claim: CLAIMS['top-layer-saturates'],
    pass,
    measured: perSeed
      .map(
        (p) =>
          `seed ${p.seed}: top layer ${formatNumber(p.top)} at step ${s.steps} (first below ${formatNumber(topLimit)} at step ${p.reached ?? 'none'}), lower layers ${p.lower.map(formatNumber).join(', ')}`,
      )
      .join('; '),
    expected: `${act} (lower bound ${low}, midpoint ${mid}): top hidden layer's mean activation <= ${formatNumber(topLimit)} after ${s.steps} steps (it starts at the midpoint); every lower layer's >= ${formatNumber(lowerLimit)}`,
    values: {
      maxTop: Math.max(...perSeed.map((p) => p.top)),
      minLower: Math.min(...perSeed.flatMap((p) => p.lower)),
      topLimit,
      lowerLimit,
      ...Object.fromEntries(perSeed.map((p) => [`seed${p.seed}ReachedAtStep`, p.reached])),
    },
  };
}

function checks(s: GlorotBengioSettings, runs: readonly ArmSeed[]): CheckResult[] {
  const of = (arm: Arm) => runs.filter((r) => r.arm === arm);
  const slowLosses = of('saturating').map((r) => finalLoss(r.run));
  const margins = s.seeds.map((seed) => {
    const find = (arm: Arm) => runs.find((r) => r.arm === arm && r.seed === seed) as ArmSeed;
    return {
      seed,
      tanh: finalAccuracy(find('normalised').run),
      sigmoid: finalAccuracy(find('saturating').run),
    };
  });
  const minMargin = Math.min(...margins.map((m) => m.tanh - m.sigmoid));
  const trainedLosses = s.seeds.map((seed) =>
    finalLoss((runs.find((r) => r.arm === 'normalised' && r.seed === seed) as ArmSeed).run),
  );
  const trainedLimit = TRAINS_MAX_SHARE_OF_CHANCE * CHANCE_LOSS;
  return [
    saturationCheck(s, runs),
    {
      id: 'sigmoid-learns-slowly',
      claim: CLAIMS['sigmoid-learns-slowly'],
      pass: slowLosses.every((l) => l >= SLOW_MIN_SHARE_OF_CHANCE * CHANCE_LOSS),
      measured: `loss ${slowLosses.map(formatNumber).join(', ')} after ${s.steps} steps (per seed, inference mode on 1,024 digits)`,
      expected: `at least ${formatNumber(SLOW_MIN_SHARE_OF_CHANCE * CHANCE_LOSS)} on every seed: ${formatPercent(SLOW_MIN_SHARE_OF_CHANCE)} of ln 10 = ${formatNumber(CHANCE_LOSS)}, a uniform guess over ten digits`,
      values: {
        minLoss: Math.min(...slowLosses),
        threshold: SLOW_MIN_SHARE_OF_CHANCE * CHANCE_LOSS,
      },
    },
    {
      id: 'tanh-xavier-trains',
      claim: CLAIMS['tanh-xavier-trains'],
      pass: minMargin >= ACCURACY_MARGIN && trainedLosses.every((l) => l <= trainedLimit),
      measured: margins
        .map(
          (m, i) =>
            `seed ${m.seed}: accuracy ${formatPercent(m.tanh)} against ${formatPercent(m.sigmoid)}, loss ${formatNumber(trainedLosses[i])}`,
        )
        .join('; '),
      expected: `on every seed, loss at most ${formatNumber(trainedLimit)} (half of ln 10) and accuracy ahead by at least ${formatPercent(ACCURACY_MARGIN)} (inference mode on 1,024 digits)`,
      values: {
        minMargin,
        threshold: ACCURACY_MARGIN,
        maxLoss: Math.max(...trainedLosses),
        lossLimit: trainedLimit,
        meanTanh: mean(margins.map((m) => m.tanh)),
        meanSigmoid: mean(margins.map((m) => m.sigmoid)),
      },
    },
  ];
}

function meansFigure(s: GlorotBengioSettings, run: TrainedRun, arm: GlorotArm) {
  const points: FigurePoint[] = fullSteps(run).flatMap((d) =>
    hiddenMeans(d).map((m, l) => ({ series: `layer ${l + 1}`, x: d.step, y: m })),
  );
  return {
    points,
    x: { title: 'step' },
    y: { title: `mean ${arm.activation} activation` },
    kind: 'line' as const,
    caption: `Mean activation of each hidden layer of the ${arm.activation} net (seed ${s.seeds[0]}), the study's counterpart of Glorot & Bengio's figure 2. Layer ${s.hiddenLayers} is the top hidden layer.`,
  };
}

export const glorotBengioStudy: Study<GlorotBengioSettings> = {
  name: 'glorot-bengio',
  title:
    'Glorot & Bengio (2010): a deep sigmoid net saturates its top hidden layer; tanh with normalised init trains',
  reference:
    'Glorot & Bengio (2010), Understanding the difficulty of training deep feedforward neural networks, AISTATS.',
  claim:
    'With the standard initialisation U[-1/sqrt(n), 1/sqrt(n)], a deep sigmoid network quickly pushes its top hidden layer to 0, the lower saturation value, while the lower layers stay near 0.5, and it learns slowly; a tanh network with the normalised initialisation trains.',
  usesBackend: true,
  checks: Object.entries(CLAIMS).map(([id, claim]) => ({ id, claim })),
  settings: {
    full: {
      hiddenLayers: 4,
      width: 128,
      seeds: [0, 1, 2],
      steps: 300,
      batchSize: 32,
      samples: 5000,
      diagnosticsEvery: 10,
      saturating: { activation: 'sigmoid', init: 'standard', lr: 1 },
      normalised: { activation: 'tanh', init: 'xavier-uniform', lr: 0.1 },
    },
    fast: {
      hiddenLayers: 4,
      width: 128,
      seeds: [0],
      steps: 150,
      batchSize: 32,
      samples: 2000,
      diagnosticsEvery: 10,
      saturating: { activation: 'sigmoid', init: 'standard', lr: 1 },
      normalised: { activation: 'tanh', init: 'xavier-uniform', lr: 0.1 },
    },
  },
  scaleNote:
    "4 hidden layers of 128 units (the paper trained 1 to 5 hidden layers of 1,000 units), on MNIST digits (one of the paper's data sets), by plain SGD with batch 32, for a few hundred steps instead of hundreds of thousands. The saturation is a fast effect: it appears in the first tens of updates, and in the paper lasts for about 100 epochs before the layer escapes, so a few hundred steps see it set in, not end. Each net has its own step size (as the paper tuned each): the sigmoid net the larger (1 against 0.1, since sigmoid's slope is at most 1/4), which favours it.",
  run: async (ctx, settings) => {
    validateArm(settings.saturating, 'saturating');
    validateArm(settings.normalised, 'normalised');
    const runs = await trainArms(ctx, settings);
    const first = (arm: Arm) => runs.find((r) => r.arm === arm) as ArmSeed;
    const losses: FigurePoint[] = ARMS.flatMap((arm) =>
      Array.from({ length: settings.steps }, (_, i) => ({
        series: armTitle(settings, arm),
        x: i + 1,
        y: mean(runs.filter((r) => r.arm === arm).map((r) => r.run.losses[i] as number)),
      })),
    );
    return {
      checks: checks(settings, runs),
      figures: [
        {
          id: 'activation-means-saturating',
          title: 'Mean activation per hidden layer: the saturating net',
          ...meansFigure(settings, first('saturating').run, settings.saturating),
        },
        {
          id: 'activation-means-normalised',
          title: 'Mean activation per hidden layer: the normalised net',
          ...meansFigure(settings, first('normalised').run, settings.normalised),
        },
        {
          id: 'loss',
          title: 'Training loss',
          kind: 'line',
          x: { title: 'step' },
          y: { title: 'cross-entropy (mean over seeds)' },
          points: losses,
          caption: 'The sigmoid net stays near ln 10 = 2.30, the loss of a uniform guess.',
        },
      ],
      tables: [
        {
          id: 'runs',
          title: 'Per net and seed, at the last step',
          columns: [
            'net',
            'seed',
            'mean activation per hidden layer (input side first)',
            'first loss',
            'last loss',
            'accuracy (inference)',
          ],
          rows: runs.map((r) => [
            armTitle(settings, r.arm),
            r.seed,
            hiddenMeans(fullSteps(r.run).at(-1) as StepDiagnostics)
              .map(formatNumber)
              .join(', '),
            formatNumber(r.run.losses[0]),
            formatNumber(r.run.losses.at(-1)),
            formatPercent(r.run.result.evaluation?.accuracy),
          ]),
        },
      ],
    };
  },
};

async function trainArms(ctx: StudyContext, s: GlorotBengioSettings): Promise<ArmSeed[]> {
  const out: ArmSeed[] = [];
  const total = s.seeds.length * ARMS.length;
  for (const seed of s.seeds) {
    for (const arm of ARMS) {
      ctx.signal?.throwIfAborted();
      const label = `${s[arm].activation}-${arm}-seed${seed}`;
      ctx.progress(`training ${label}`, out.length / total);
      out.push({ arm, seed, run: await ctx.train(label, specFor(s, arm, seed)) });
    }
  }
  ctx.progress('done', 1);
  return out;
}
