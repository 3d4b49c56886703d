import type { Initializer } from '@gradlab/core';
import { varianceGain } from '@gradlab/theory';
import { declareChecks, judged } from '../../define/define-study.js';
import type { CheckResult } from '../../study.js';
import { type ArmSeed, type Finished, ofArm } from '../../study-kit/arm-runs.js';
import { formatNumber, formatPercent } from '../../study-kit/format.js';
import { theoryInit } from '../../study-kit/init-theory.js';
import {
  geometricMean,
  mean,
  relativeLossDrop,
  sampleStd,
  slopePerIndex,
} from '../../study-kit/series.js';
import { firstToLast, startSignal } from '../../study-kit/signal-profile.js';
import { type Arm, type HeInitSettings, INIT_SETTING } from './settings.js';

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

/**
 * What each check claims and measures, its tolerance, and the settings that make it fail, with
 * what the fast run measured under them (he-init.test.ts runs each).
 */
export const declared = declareChecks({
  'xavier-signal-halves': {
    claim:
      'With Xavier initialisation the backpropagated signal ||dL/dh|| of a deep ReLU net shrinks by sqrt(1/2) per layer.',
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
    claim: 'With He initialisation the backpropagated signal keeps its norm from layer to layer.',
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
    claim: 'The deep ReLU net with He initialisation trains: its loss falls clearly.',
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
    claim:
      'The same net with Xavier initialisation stalls: its loss barely moves in the same steps.',
    measures: "The same drop of the Xavier arm's training loss.",
    tolerance: 'Under 2% on every seed; measured 0.2% (fast).',
    counterfactuals: [
      {
        change: '`xavierInit: "he-normal"` (the inits swapped)',
        measured: 'the loss fell by 32.4%.',
      },
    ],
  },
});

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

/** The theory's prediction for an arm's own initialiser (a counterfactual init changes it). */
export function armPrediction(s: HeInitSettings, arm: Arm) {
  return predictedSignalChange(s[INIT_SETTING[arm]], s.width, `settings.${INIT_SETTING[arm]}`);
}

/** One network's backward signal at step 1: a trained arm's, or a draw's. */
export interface Profile extends Finished<ArmSeed<Arm>> {
  /** ||dL/dh|| at step 1 per hidden layer, input side first. */
  readonly signal: readonly number[];
  /** Change of log2 ||dL/dh|| per layer going back (the negated least-squares slope). */
  readonly log2PerLayer: number;
}

export function profileOf(net: Finished<ArmSeed<Arm>>): Profile {
  const signal = startSignal(net.run);
  return { ...net, signal, log2PerLayer: -slopePerIndex(signal.map(Math.log2)) };
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
  id: string,
  arm: Arm,
  s: HeInitSettings,
  draws: readonly Profile[],
): CheckResult {
  const own = ofArm(draws, arm);
  const slopes = own.map((r) => r.log2PerLayer);
  const measured = mean(slopes);
  const spread = sampleStd(slopes);
  const ratio = geometricMean(own.map((r) => firstToLast(r.signal)));
  const theory = armPrediction(s, arm);
  const published = PUBLISHED_LOG2_PER_LAYER[arm];
  const slope = judgeSlope(measured, theory.log2PerLayer, published, SLOPE_TOLERANCE);
  const init = s[INIT_SETTING[arm]];
  const standardError = spread / Math.sqrt(slopes.length);
  const layers = (own[0]?.signal.length ?? 1) - 1;
  return judged(declared, id, {
    pass: slope.pass,
    measured: `${formatNumber(measured)} +/- ${formatNumber(standardError)} log2 per layer, mean over ${slopes.length} networks (one scatters by ${formatNumber(spread)}; from ${formatNumber(Math.min(...slopes))} to ${formatNumber(Math.max(...slopes))}), ${formatNumber(slope.fromTheory)} from the theory and ${formatNumber(slope.fromPaper)} from the paper; first/last hidden layer ${formatNumber(ratio)} over ${layers} layers (the theory: ${formatNumber(2 ** (layers * theory.log2PerLayer))}, the paper: ${formatNumber(2 ** (layers * published))})`,
    expected: `within ${SLOPE_TOLERANCE} log2 per layer of both (the scatter of the mean over ${s.signalDraws} networks and the finite-width bias of E[log]; a 10% error in Var(w) is ${formatNumber(Math.log2(1.1) / 2)} per layer, x${formatNumber(1.1 ** (layers / 2))} on the norm over ${layers} layers): the theory for this arm's init ${JSON.stringify(init)}, n Var(w) E[relu'^2] = ${s.width} x ${formatNumber(theory.weightVariance)} x ${formatNumber(theory.gain / (s.width * theory.weightVariance))} = ${formatNumber(theory.gain)} per layer on the second moment, ${formatNumber(theory.log2PerLayer)} log2 per layer on the norm; and He et al.'s ${formatNumber(published)}: ${publishedWhy(arm, s.depth - 1)}`,
    values: {
      log2PerLayer: measured,
      predicted: theory.log2PerLayer,
      published,
      gain: theory.gain,
      fromTheory: slope.fromTheory,
      fromPaper: slope.fromPaper,
      tolerance: SLOPE_TOLERANCE,
      standardError,
      spread,
      draws: slopes.length,
      firstToLast: ratio,
    },
  });
}

export function checks(
  s: HeInitSettings,
  trained: readonly Profile[],
  draws: readonly Profile[],
): CheckResult[] {
  const drops = (arm: Arm) => ofArm(trained, arm).map((r) => relativeLossDrop(r.run.losses));
  const heDrops = drops('he');
  const xavierDrops = drops('xavier');
  const layers = s.depth - 1;
  return [
    slopeCheck('xavier-signal-halves', 'xavier', s, draws),
    slopeCheck('he-signal-constant', 'he', s, draws),
    judged(declared, 'he-trains', {
      pass: heDrops.every((d) => d >= HE_MIN_DROP),
      measured: `loss fell by ${heDrops.map(formatPercent).join(', ')} in ${s.steps} steps (per seed)`,
      expected: `at least ${formatPercent(HE_MIN_DROP)} on every seed (last tenth of the steps against the first 5)`,
      values: { minDrop: Math.min(...heDrops), threshold: HE_MIN_DROP },
    }),
    judged(declared, 'xavier-stalls', {
      pass: xavierDrops.every((d) => d < XAVIER_MAX_DROP),
      measured: `loss fell by ${xavierDrops.map(formatPercent).join(', ')} in ${s.steps} steps (per seed)`,
      expected: `under ${formatPercent(XAVIER_MAX_DROP)} on every seed: the output sees a signal ${formatNumber(2 ** (-layers / 2))} times the input's and the first layers get almost no gradient`,
      values: { maxDrop: Math.max(...xavierDrops), threshold: XAVIER_MAX_DROP },
    }),
  ];
}
