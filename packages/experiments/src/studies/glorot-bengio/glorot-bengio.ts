import {
  type ExperimentSpecInput,
  GradlabError,
  type Initializer,
  type StepDiagnostics,
} from '@gradlab/core';
import { type InitLike, initVariance } from '@gradlab/theory';
import {
  type CheckResult,
  type FigurePoint,
  relativeDifference,
  type Study,
  type StudyContext,
  type StudyFigure,
  type StudyTable,
  type TrainedRun,
} from '../../study.js';
import { formatNumber, formatPercent } from '../training-measures/format.js';
import { layerInit, theoryInit } from '../training-measures/init-theory.js';
import { finalAccuracy, finalLoss, firstStep, fullSteps } from '../training-measures/runs.js';
import { geometricMean, mean } from '../training-measures/series.js';
import { standardUniformInit } from '../training-measures/standard-init.js';
import { backwardGains, type LayerGain } from './backward-gain.js';

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

/** MNIST digits are 28 x 28 pixels: the fan-in of the first layer. */
const INPUT_SIZE = 784;
/**
 * The variance argument's tolerance: measured over predicted backward gain, geometric mean over
 * the layers and seeds. One layer of width 128 scatters by about 4% (measured on 5 seeds), so
 * the mean of one seed's 3 layers by about 2.5%; the other init's variance (1/(3n) against 1/n)
 * is a factor 3 off, and the linear-regime gain 1 of tanh (phi' = 1) 20% above the measured 0.83.
 */
const GAIN_TOLERANCE = 0.1;
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
  'variance-argument':
    "At initialisation each hidden layer multiplies ||dL/dh||^2, going back, by n Var(W) E[phi'(z)^2] (Glorot & Bengio's variance argument): the standard init's Var(W) = 1/(3n) and sigmoid's small slope make the signal fade about fiftyfold per layer, while tanh with the normalised init keeps most of it.",
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
  /** Step 1's backward gain per hidden layer from 2 on, measured and predicted. */
  readonly gains: readonly LayerGain[];
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

/** A spec's initialiser for an arm's init setting: "standard" is one uniform per layer. */
function specInit(
  s: GlorotBengioSettings,
  init: 'standard' | Initializer,
): Initializer | Initializer[] {
  return init === 'standard'
    ? standardUniformInit(INPUT_SIZE, Array(s.hiddenLayers).fill(s.width))
    : init;
}

/** The theory's initialiser of dense layer `layer` (0-based) for an arm: its own, or theoryInit. */
function theoryInitOf(s: GlorotBengioSettings, arm: Arm, layer: number): InitLike {
  const a = s[arm];
  const field = a.theoryInit === undefined ? `settings.${arm}.init` : `settings.${arm}.theoryInit`;
  const init = layerInit(specInit(s, a.theoryInit ?? a.init), layer);
  return theoryInit(init, layer === 0 ? INPUT_SIZE : s.width, s.width, field);
}

function specFor(s: GlorotBengioSettings, arm: Arm, seed: number): ExperimentSpecInput {
  const a = s[arm];
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
      init: specInit(s, a.init),
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

/** An arm's gains over its seeds: measured/predicted, and both sides, as geometric means. */
function armGains(runs: readonly ArmSeed[], arm: Arm) {
  const gains = runs.filter((r) => r.arm === arm).flatMap((r) => r.gains);
  const ratio = geometricMean(gains.map((g) => g.measured / g.predicted));
  return {
    ratio,
    difference: relativeDifference(ratio, 1),
    measured: geometricMean(gains.map((g) => g.measured)),
    predicted: geometricMean(gains.map((g) => g.predicted)),
    worstLayer: Math.max(...gains.map((g) => relativeDifference(g.measured, g.predicted))),
  };
}

/** The initialiser the theory takes for an arm's hidden kernels, and n Var(W) of one. */
function varianceText(s: GlorotBengioSettings, arm: Arm): string {
  const init = s[arm].theoryInit ?? s[arm].init;
  const name = init === 'standard' ? 'U[-1/sqrt(n), 1/sqrt(n)]' : JSON.stringify(init);
  const nVar = s.width * initVariance(theoryInitOf(s, arm, 1), s.width, s.width);
  return `${name}, n Var(W) = ${formatNumber(nVar)}`;
}

function varianceCheck(s: GlorotBengioSettings, runs: readonly ArmSeed[]): CheckResult {
  const arms = ARMS.map((arm) => ({ arm, ...armGains(runs, arm) }));
  const layers = `layers 2 to ${s.hiddenLayers}`;
  return {
    id: 'variance-argument',
    claim: CLAIMS['variance-argument'],
    pass: arms.every((a) => a.difference <= GAIN_TOLERANCE),
    measured: arms
      .map(
        (a) =>
          `${armTitle(s, a.arm)}: ${formatNumber(a.measured)} per layer against ${formatNumber(a.predicted)} predicted, measured/predicted ${factor(a.ratio)} (${formatPercent(a.difference)} off; worst single layer ${formatPercent(a.worstLayer)})`,
      )
      .join('; '),
    expected: `for each net, ||dL/dh_(l-1)||^2 / ||dL/dh_l||^2 at step 1 within ${formatPercent(GAIN_TOLERANCE)} of n Var(W) E[phi'(z_l)^2], geometric mean over ${layers} and the seeds; z_l ~ N(0, q_l) with q_l = n Var(W) E[h_(l-1)^2] from the measured mean and std of the layer below (zero biases). ${arms.map((a) => `${armTitle(s, a.arm)}: ${varianceText(s, a.arm)}`).join('; ')}`,
    values: {
      tolerance: GAIN_TOLERANCE,
      ...Object.fromEntries(
        arms.flatMap((a) => [
          [`${a.arm}.ratio`, a.ratio],
          [`${a.arm}.measured`, a.measured],
          [`${a.arm}.predicted`, a.predicted],
          [`${a.arm}.worstLayer`, a.worstLayer],
        ]),
      ),
    },
  };
}

/** Ratios near 1 differ in the second decimal: three decimals. */
const factor = (x: number): string => x.toFixed(3);

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
    varianceCheck(s, runs),
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

function gainFigure(s: GlorotBengioSettings, runs: readonly ArmSeed[]): StudyFigure {
  const points: FigurePoint[] = [];
  for (const arm of ARMS) {
    const own = runs.filter((r) => r.arm === arm);
    own[0]?.gains.forEach((g, i) => {
      const at = own.map((r) => r.gains[i] as LayerGain);
      const title = armTitle(s, arm);
      points.push(
        { series: `${title}, measured`, x: g.layer, y: geometricMean(at.map((a) => a.measured)) },
        { series: `${title}, predicted`, x: g.layer, y: geometricMean(at.map((a) => a.predicted)) },
      );
    });
  }
  return {
    id: 'backward-gain',
    title: "Backward gain per hidden layer at step 1: measured against n Var(W) E[phi'^2]",
    kind: 'line',
    x: { title: 'hidden layer l' },
    y: { title: '||dL/dh_(l-1)||^2 / ||dL/dh_l||^2', log: true },
    points,
    caption: `Glorot & Bengio's variance argument, at initialisation (geometric mean over ${s.seeds.length} seed(s)): the standard init's signal fades by a factor of about 50 per layer, the normalised tanh net keeps most of it.`,
  };
}

function gainTable(s: GlorotBengioSettings, runs: readonly ArmSeed[]): StudyTable {
  return {
    id: 'backward-gain',
    title: 'Backward gain per hidden layer at step 1',
    columns: [
      'net',
      'seed',
      'layer',
      'q (pre-activation variance)',
      'measured',
      'predicted',
      'measured/predicted',
    ],
    rows: runs.flatMap((r) =>
      r.gains.map((g) => [
        armTitle(s, r.arm),
        r.seed,
        g.layer,
        formatNumber(g.q),
        formatNumber(g.measured),
        formatNumber(g.predicted),
        factor(g.measured / g.predicted),
      ]),
    ),
  };
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
    "With the standard initialisation U[-1/sqrt(n), 1/sqrt(n)], a deep sigmoid network's backward signal fades by n Var(W) E[phi'^2] per layer, it quickly pushes its top hidden layer to 0, the lower saturation value, while the lower layers stay near 0.5, and it learns slowly; a tanh network with the normalised initialisation keeps its backward signal and trains.",
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
    "4 hidden layers of 128 units (the paper trained 1 to 5 hidden layers of 1,000 units), on MNIST digits (one of the paper's data sets), by plain SGD with batch 32, for a few hundred steps instead of hundreds of thousands. The saturation is a fast effect: it appears in the first tens of updates, and in the paper lasts for about 100 epochs before the layer escapes, so a few hundred steps see it set in, not end. Each net has its own step size (as the paper tuned each): the sigmoid net the larger (1 against 0.1, since sigmoid's slope is at most 1/4), which favours it. The variance argument is checked at step 1, on the network as drawn: width 128 is wide enough for it (one layer's measured gain scatters by about 4% around n Var(W) E[phi'^2], against the 10% tolerance; measured on 5 seeds).",
  run: async (ctx, settings) => {
    for (const arm of ARMS) {
      validateArm(settings[arm], arm);
      // The theory must describe every hidden kernel before anything trains.
      for (let l = 1; l < settings.hiddenLayers; l++) theoryInitOf(settings, arm, l);
    }
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
        gainFigure(settings, runs),
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
        gainTable(settings, runs),
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
      const run = await ctx.train(label, specFor(s, arm, seed));
      const gains = backwardGains(firstStep(run), {
        activation: s[arm].activation,
        width: s.width,
        init: (layer) => theoryInitOf(s, arm, layer),
      });
      out.push({ arm, seed, run, gains });
    }
  }
  ctx.progress('done', 1);
  return out;
}
