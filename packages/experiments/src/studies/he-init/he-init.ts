import { type ExperimentSpecInput, GradlabError, type Initializer } from '@gradlab/core';
import { varianceGain } from '@gradlab/theory';
import type {
  CheckResult,
  DeclaredCheck,
  FigurePoint,
  Study,
  StudyContext,
  StudyOutcome,
  TrainedRun,
} from '../../study.js';
import { formatNumber, formatPercent } from '../training-measures/format.js';
import { theoryInit } from '../training-measures/init-theory.js';
import { firstStep, signalNorms } from '../training-measures/runs.js';
import {
  geometricMean,
  mean,
  relativeLossDrop,
  slopePerIndex,
} from '../training-measures/series.js';

export interface HeInitSettings {
  /** Dense layers, the output layer included: He et al.'s 30-layer model. */
  readonly depth: number;
  readonly width: number;
  readonly seeds: readonly number[];
  readonly steps: number;
  readonly batchSize: number;
  /** Learning rate of SGD with momentum 0.9, the same for both arms. */
  readonly lr: number;
  /** MNIST digits to draw batches from. */
  readonly samples: number;
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

/**
 * What the theory predicts for a ReLU net of square hidden layers of `width` drawn by `init`:
 * each layer multiplies the second moment of the backward signal by
 * n Var(w) E[relu'(h)^2] = n Var(w) / 2 (@gradlab/theory's varianceGain, the backward case of
 * He et al. 2015's derivation), so log2 ||dL/dh|| changes by log2(gain) / 2 per layer going
 * back towards the input.
 */
export function predictedSignalChange(
  init: Initializer,
  width: number,
  field = 'init',
): { gain: number; weightVariance: number; log2PerLayer: number } {
  const { backward, weightVariance } = varianceGain('relu', theoryInit(init, width, width, field), {
    fanIn: width,
    fanOut: width,
  });
  return { gain: backward, weightVariance, log2PerLayer: Math.log2(backward) / 2 };
}

/**
 * What He et al. (2015) report for each arm, per layer going back: Xavier halves the second
 * moment (the norm shrinks by 2^(-1/2)), He keeps it. The theory's prediction for the arm's
 * actual initialiser must agree with the measurement, and the measurement with this.
 */
const PUBLISHED_LOG2_PER_LAYER = { xavier: -0.5, he: 0 } as const;
/**
 * The slope checks' tolerance, in log2 per layer on the norm, mean over the draws. One 30-layer
 * network of width 64 scatters by 0.024 to 0.027 (standard deviation over 60 draws per arm; the
 * top signal has rank at most 10, the classes, so a larger batch does not lower it), and the
 * mean sits about 0.01 below the theory (-0.008 for He, -0.010 for Xavier, +/- 0.003: E[log] of
 * a product of random gains is below the log of its mean, a finite-width bias). Over 24 draws the
 * mean scatters by 0.005, so 0.035 is the bias plus five standard errors. A 10% error in Var(w)
 * moves the slope by log2(1.1)/2 = +0.069 or log2(0.9)/2 = -0.076, which compounds over the 28
 * layers to 1.1^28 = 14 (0.9^28 = 0.05) on the second moment: to 0.058 and -0.091 measured, beyond
 * the tolerance by 0.023 and 0.056, four standard errors and more.
 */
const SLOPE_TOLERANCE = 0.035;
const HE_MIN_DROP = 0.1;
const XAVIER_MAX_DROP = 0.02;

/** Each check's claim, declared with the study and repeated in its result. */
const CLAIMS = {
  'xavier-signal-halves':
    'With Xavier initialisation the backpropagated signal ||dL/dh|| of a deep ReLU net shrinks by sqrt(1/2) per layer.',
  'he-signal-constant':
    'With He initialisation the backpropagated signal keeps its norm from layer to layer.',
  'he-trains': 'The deep ReLU net with He initialisation trains: its loss falls clearly.',
  'xavier-stalls':
    'The same net with Xavier initialisation stalls: its loss barely moves in the same steps.',
} as const;
type CheckId = keyof typeof CLAIMS;

/**
 * What each check measures, its tolerance, and the settings that make it fail, with what the
 * fast run measured under them (he-init.test.ts runs each).
 */
const COUNTERFACTUALS: Record<CheckId, Omit<DeclaredCheck, 'id' | 'claim'>> = {
  'xavier-signal-halves': {
    measures:
      "The least-squares slope of log2 ||dL/dh|| against the hidden layer at step 1, going back, averaged over 24 random 30-layer networks drawn with the Xavier arm's init.",
    tolerance:
      "Within 0.035 log2 per layer of both the theory for the arm's init and He et al.'s -0.5: one network scatters by 0.025, the mean by 0.005, and sits about 0.01 below the theory (finite-width bias of E[log]); measured -0.515.",
    counterfactuals: [
      {
        change: '`xavierInit: { kind: "xavier-normal", gain: sqrt(0.9) }` (Var(w) 10% low)',
        measured: '-0.591 per layer, 0.091 from the paper (the theory: -0.576).',
      },
      {
        change: '`xavierInit: { kind: "xavier-normal", gain: sqrt(1.1) }` (Var(w) 10% high)',
        measured: '-0.446 per layer, 0.054 from the paper.',
      },
      {
        change: '`xavierInit: "he-normal"` (the inits swapped)',
        measured: '-0.014 per layer, 0.486 from the paper.',
      },
    ],
  },
  'he-signal-constant': {
    measures: "The same slope, averaged over 24 random networks drawn with the He arm's init.",
    tolerance: "Within 0.035 log2 per layer of both the theory and He et al.'s 0; measured -0.014.",
    counterfactuals: [
      {
        change: '`heInit: { kind: "he-normal", gain: sqrt(1.1) }` (Var(w) = 1.1 x 2/n)',
        measured:
          '+0.058 per layer (the theory: +0.069), first/last hidden layer 3.0 instead of 1.',
      },
      {
        change: '`heInit: { kind: "he-normal", gain: sqrt(0.9) }` (Var(w) = 0.9 x 2/n)',
        measured: '-0.091 per layer (the theory: -0.076), first/last hidden layer 0.17.',
      },
      {
        change: '`heInit: "xavier-normal"` (the inits swapped)',
        measured: '-0.515 per layer.',
      },
    ],
  },
  'he-trains': {
    measures:
      "How much the He arm's training loss fell: 1 - (mean of the last tenth of the steps) / (mean of the first 5).",
    tolerance: 'At least 10% on every seed; measured 32% (fast).',
    counterfactuals: [
      {
        change: '`heInit: "xavier-normal"` (the inits swapped)',
        measured: 'the loss fell by 0.2%.',
      },
    ],
  },
  'xavier-stalls': {
    measures: "The same drop of the Xavier arm's training loss.",
    tolerance: 'Under 2% on every seed; measured 0.2% (fast).',
    counterfactuals: [
      {
        change: '`xavierInit: "he-normal"` (the inits swapped)',
        measured: 'the loss fell by 32.4%.',
      },
    ],
  },
};

const ARMS = ['xavier', 'he'] as const;
type Arm = (typeof ARMS)[number];
const ARM_TITLE: Record<Arm, string> = { xavier: 'Xavier', he: 'He' };

/** One network's signal at step 1: a trained arm's, or a draw's. */
interface Profile {
  readonly arm: Arm;
  readonly seed: number;
  /** ||dL/dh|| at step 1 per hidden layer, input side first. */
  readonly signal: readonly number[];
  /** Change of log2 ||dL/dh|| per layer going back (the negated least-squares slope). */
  readonly log2PerLayer: number;
}

interface ArmSeed extends Profile {
  readonly run: TrainedRun;
  readonly lossDrop: number;
}

/** MNIST digits a draw loads: one batch is measured, and loading is its main cost. */
const DRAW_SAMPLES = 256;

function specFor(s: HeInitSettings, arm: Arm, seed: number, draw = false): ExperimentSpecInput {
  return {
    gradlab: 1,
    name: `he-init-${arm}-${draw ? 'draw' : 'seed'}${seed}`,
    seed,
    data: { kind: 'mnist', samples: draw ? DRAW_SAMPLES : s.samples },
    model: {
      kind: 'mlp',
      depth: s.depth,
      width: s.width,
      activation: 'relu',
      init: arm === 'xavier' ? s.xavierInit : s.heInit,
    },
    // A draw is measured at step 1, before its one update: the network as initialised.
    training: {
      steps: draw ? 1 : s.steps,
      batchSize: s.batchSize,
      optimizer: { kind: 'momentum', lr: s.lr, momentum: 0.9 },
    },
    // Full diagnostics on the first and last step only: the checks need the network as
    // initialised, and measuring every layer's statistics often would double the run's time.
    diagnostics: { every: draw ? 1 : s.steps },
  };
}

/** The signal profile of a run's step 1. */
function profileOf(arm: Arm, seed: number, run: TrainedRun): Profile {
  const signal = signalNorms(firstStep(run), run.label);
  return { arm, seed, signal, log2PerLayer: -slopePerIndex(signal.map(Math.log2)) };
}

/** Share of the progress bar the draws take: each is one step. */
const DRAWS_SHARE = 0.2;

/** Draws `signalDraws` networks per arm (seeds 0, 1, ...) and measures each at step 1. */
async function drawNetworks(ctx: StudyContext, s: HeInitSettings): Promise<Profile[]> {
  const out: Profile[] = [];
  const total = s.signalDraws * ARMS.length;
  for (const arm of ARMS) {
    for (let seed = 0; seed < s.signalDraws; seed++) {
      ctx.signal?.throwIfAborted();
      const label = `${arm}-draw${seed}`;
      ctx.progress(`measuring ${label} at initialisation`, (DRAWS_SHARE * out.length) / total);
      out.push(profileOf(arm, seed, await ctx.train(label, specFor(s, arm, seed, true))));
    }
  }
  return out;
}

async function trainArms(ctx: StudyContext, s: HeInitSettings): Promise<ArmSeed[]> {
  const out: ArmSeed[] = [];
  const total = s.seeds.length * ARMS.length;
  for (const seed of s.seeds) {
    for (const arm of ARMS) {
      ctx.signal?.throwIfAborted();
      const label = `${arm}-seed${seed}`;
      ctx.progress(`training ${label}`, DRAWS_SHARE + ((1 - DRAWS_SHARE) * out.length) / total);
      const run = await ctx.train(label, specFor(s, arm, seed));
      out.push({ ...profileOf(arm, seed, run), run, lossDrop: relativeLossDrop(run.losses) });
    }
  }
  ctx.progress('done', 1);
  return out;
}

/** The initialiser an arm was drawn with, and the setting that names it. */
function armInit(s: HeInitSettings, arm: Arm): { init: Initializer; field: string } {
  return arm === 'xavier'
    ? { init: s.xavierInit, field: 'settings.xavierInit' }
    : { init: s.heInit, field: 'settings.heInit' };
}

/** The theory's prediction for an arm's own initialiser (a counterfactual init changes it). */
function armPrediction(s: HeInitSettings, arm: Arm) {
  const { init, field } = armInit(s, arm);
  return predictedSignalChange(init, s.width, field);
}

/** Why He et al. report what they report for each arm, in the check's expectation. */
function publishedWhy(arm: Arm, layers: number): string {
  return arm === 'xavier'
    ? `Xavier's Var(w) = 2/(n+n) = 1/n and ReLU passes half of the second moment, so it halves per layer (the "2^-L" of a depth-L net): 2^(-${layers - 1}/2) = ${formatNumber(2 ** (-(layers - 1) / 2))} on the norm over these ${layers - 1} layers`
    : "He's Var(w) = 2/n exactly compensates the half that ReLU removes";
}

/**
 * Judges an arm's measured slope against both the theory for its actual initialiser and the
 * paper's value: the first fails if the theory mispredicts the network, the second if the
 * arm's initialiser does not do what the paper says Xavier's (or He's) does.
 */
export function judgeSlope(
  measured: number,
  predicted: number,
  published: number,
  tolerance: number,
): { pass: boolean; fromTheory: number; fromPaper: number } {
  const fromTheory = Math.abs(measured - predicted);
  const fromPaper = Math.abs(measured - published);
  return { pass: fromTheory <= tolerance && fromPaper <= tolerance, fromTheory, fromPaper };
}

function slopeCheck(
  id: CheckId,
  arm: Arm,
  s: HeInitSettings,
  draws: readonly Profile[],
): CheckResult {
  const own = draws.filter((r) => r.arm === arm);
  const slopes = own.map((r) => r.log2PerLayer);
  const measured = mean(slopes);
  const spread = Math.sqrt(
    slopes.reduce((a, x) => a + (x - measured) ** 2, 0) / Math.max(1, slopes.length - 1),
  );
  const ratio = geometricMean(
    own.map((r) => (r.signal[0] as number) / (r.signal.at(-1) as number)),
  );
  const theory = armPrediction(s, arm);
  const published = PUBLISHED_LOG2_PER_LAYER[arm];
  const judged = judgeSlope(measured, theory.log2PerLayer, published, SLOPE_TOLERANCE);
  const { init } = armInit(s, arm);
  const standardError = spread / Math.sqrt(slopes.length);
  const layers = (own[0]?.signal.length ?? 1) - 1;
  return {
    id,
    claim: CLAIMS[id],
    pass: judged.pass,
    measured: `${formatNumber(measured)} +/- ${formatNumber(standardError)} log2 per layer, mean over ${slopes.length} networks (one scatters by ${formatNumber(spread)}; from ${formatNumber(Math.min(...slopes))} to ${formatNumber(Math.max(...slopes))}), ${formatNumber(judged.fromTheory)} from the theory and ${formatNumber(judged.fromPaper)} from the paper; first/last hidden layer ${formatNumber(ratio)} over ${layers} layers (the theory: ${formatNumber(2 ** (layers * theory.log2PerLayer))}, the paper: ${formatNumber(2 ** (layers * published))})`,
    expected: `within ${SLOPE_TOLERANCE} log2 per layer of both (the scatter of the mean over ${s.signalDraws} networks and the finite-width bias of E[log]; a 10% error in Var(w) is ${formatNumber(Math.log2(1.1) / 2)} per layer, x${formatNumber(1.1 ** (layers / 2))} on the norm over ${layers} layers): the theory for this arm's init ${JSON.stringify(init)}, n Var(w) E[relu'^2] = ${s.width} x ${formatNumber(theory.weightVariance)} x ${formatNumber(theory.gain / (s.width * theory.weightVariance))} = ${formatNumber(theory.gain)} per layer on the second moment, ${formatNumber(theory.log2PerLayer)} log2 per layer on the norm; and He et al.'s ${formatNumber(published)}: ${publishedWhy(arm, s.depth - 1)}`,
    values: {
      log2PerLayer: measured,
      predicted: theory.log2PerLayer,
      published,
      gain: theory.gain,
      fromTheory: judged.fromTheory,
      fromPaper: judged.fromPaper,
      tolerance: SLOPE_TOLERANCE,
      standardError,
      spread,
      draws: slopes.length,
      firstToLast: ratio,
    },
  };
}

function checks(
  runs: readonly ArmSeed[],
  draws: readonly Profile[],
  s: HeInitSettings,
): CheckResult[] {
  const drops = (arm: Arm) => runs.filter((r) => r.arm === arm).map((r) => r.lossDrop);
  const heDrops = drops('he');
  const xavierDrops = drops('xavier');
  const layers = s.depth - 1;
  return [
    slopeCheck('xavier-signal-halves', 'xavier', s, draws),
    slopeCheck('he-signal-constant', 'he', s, draws),
    {
      id: 'he-trains',
      claim: CLAIMS['he-trains'],
      pass: heDrops.every((d) => d >= HE_MIN_DROP),
      measured: `loss fell by ${heDrops.map(formatPercent).join(', ')} in ${s.steps} steps (per seed)`,
      expected: `at least ${formatPercent(HE_MIN_DROP)} on every seed (last tenth of the steps against the first 5)`,
      values: { minDrop: Math.min(...heDrops), threshold: HE_MIN_DROP },
    },
    {
      id: 'xavier-stalls',
      claim: CLAIMS['xavier-stalls'],
      pass: xavierDrops.every((d) => d < XAVIER_MAX_DROP),
      measured: `loss fell by ${xavierDrops.map(formatPercent).join(', ')} in ${s.steps} steps (per seed)`,
      expected: `under ${formatPercent(XAVIER_MAX_DROP)} on every seed: the output sees a signal ${formatNumber(2 ** (-layers / 2))} times the input's and the first layers get almost no gradient`,
      values: { maxDrop: Math.max(...xavierDrops), threshold: XAVIER_MAX_DROP },
    },
  ];
}

function figures(
  runs: readonly ArmSeed[],
  draws: readonly Profile[],
  s: HeInitSettings,
): StudyOutcome['figures'] {
  const layers = s.depth - 1;
  const profile: FigurePoint[] = [];
  for (const arm of ARMS) {
    const own = draws.filter((r) => r.arm === arm);
    for (let l = 0; l < layers; l++) {
      const relative = own.map((r) => (r.signal[l] as number) / (r.signal[layers - 1] as number));
      profile.push({ series: `${ARM_TITLE[arm]}, measured`, x: l + 1, y: geometricMean(relative) });
    }
  }
  for (const arm of ARMS) {
    const { log2PerLayer } = armPrediction(s, arm);
    for (let l = 0; l < layers; l++) {
      const back = layers - 1 - l;
      profile.push({
        series: `${ARM_TITLE[arm]}, predicted`,
        x: l + 1,
        y: 2 ** (log2PerLayer * back),
      });
    }
  }
  const losses: FigurePoint[] = [];
  for (const arm of ARMS) {
    const own = runs.filter((r) => r.arm === arm);
    for (let i = 0; i < s.steps; i++) {
      losses.push({
        series: ARM_TITLE[arm],
        x: i + 1,
        y: mean(own.map((r) => r.run.losses[i] as number)),
      });
    }
  }
  return [
    {
      id: 'signal-profile',
      title: `Backpropagated signal at step 1, ${s.depth}-layer ReLU MLP`,
      kind: 'line',
      x: { title: 'hidden layer (input side first)' },
      y: { title: '||dL/dh|| relative to the last hidden layer', log: true },
      points: profile,
      caption: `Xavier's signal falls by sqrt(1/2) per layer going back, a straight line on the log axis; He's stays level. The predicted lines are the theory's n Var(w) / 2 per layer for each arm's initialiser. Geometric mean over ${s.signalDraws} random networks per arm.`,
    },
    {
      id: 'loss',
      title: 'Training loss',
      kind: 'line',
      x: { title: 'step' },
      y: { title: 'cross-entropy (mean over seeds)' },
      points: losses,
      caption: 'He trains; Xavier stays at the loss of a uniform guess (ln 10 = 2.30).',
    },
  ];
}

export const heInitStudy: Study<HeInitSettings> = {
  name: 'he-init',
  title: 'He et al. (2015): a 30-layer ReLU MLP stalls with Xavier init and trains with He init',
  reference:
    'He, Zhang, Ren & Sun (2015), Delving deep into rectifiers: surpassing human-level performance on ImageNet classification, ICCV.',
  claim:
    'In a 30-layer ReLU network, Xavier initialisation halves the second moment of the backward signal at every layer (2^-L over L layers) and the network stalls, while He initialisation (Var(w) = 2/fan-in) keeps it constant and the network trains.',
  usesBackend: true,
  checks: Object.entries(CLAIMS).map(([id, claim]) => ({
    id,
    claim,
    ...COUNTERFACTUALS[id as CheckId],
  })),
  settings: {
    full: {
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
    },
    fast: {
      depth: 30,
      width: 64,
      seeds: [0],
      steps: 150,
      batchSize: 64,
      lr: 0.01,
      samples: 2000,
      xavierInit: 'xavier-normal',
      heInit: 'he-normal',
      signalDraws: 24,
    },
  },
  scaleNote:
    'The 30 layers of the claim are kept; the width is 64 instead of convolutions with hundreds of channels, on MNIST digits instead of ImageNet, for a few hundred steps. The per-layer factor n Var(w) / 2 does not depend on the width, so the slope of the signal profile is the same (width adds fluctuations around it of order 1/width): it is measured at step 1 on 24 random networks per arm, drawn like the trained ones, whose mean slope is known to 0.005 log2 per layer, against a tolerance of 0.035: enough to see a 10% error in Var(w) (0.069 per layer, a factor 14 on the second moment over the 28 layers); and the stall needs only the first steps: with Xavier, the output sees a signal 2^-14.5 times the input and the first layers get almost no gradient, so SGD has nothing to follow.',
  run: async (ctx, settings) => {
    if (!(Number.isInteger(settings.signalDraws) && settings.signalDraws >= 2)) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `settings.signalDraws is ${JSON.stringify(settings.signalDraws)}; allowed: an integer >= 2 (random networks per arm for the signal checks, whose scatter the checks report)`,
      );
    }
    // The theory must describe both inits before anything trains.
    for (const arm of ARMS) armPrediction(settings, arm);
    const draws = await drawNetworks(ctx, settings);
    const runs = await trainArms(ctx, settings);
    return {
      checks: checks(runs, draws, settings),
      figures: figures(runs, draws, settings),
      tables: [
        {
          id: 'runs',
          title: 'Per arm and seed',
          columns: [
            'arm',
            'seed',
            'log2 ||dL/dh|| per layer (going back)',
            'first/last hidden layer, step 1',
            'first loss',
            'last loss',
            'loss drop',
            'accuracy (inference)',
          ],
          rows: runs.map((r) => [
            ARM_TITLE[r.arm],
            r.seed,
            formatNumber(r.log2PerLayer),
            formatNumber((r.signal[0] as number) / (r.signal.at(-1) as number)),
            formatNumber(r.run.losses[0]),
            formatNumber(r.run.losses.at(-1)),
            formatPercent(r.lossDrop),
            formatPercent(r.run.result.evaluation?.accuracy),
          ]),
        },
      ],
    };
  },
};
