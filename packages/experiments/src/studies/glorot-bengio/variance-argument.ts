import type { Initializer } from '@gradlab/core';
import type { InitLike } from '@gradlab/theory';
import { relativeDifference } from '../../study.js';
import { type ArmSeed, type Finished, ofArm } from '../../study-kit/arm-runs.js';
import { layerInit, theoryInit } from '../../study-kit/init-theory.js';
import { MNIST_INPUT_SIZE, mnistMlpInit } from '../../study-kit/mnist-training.js';
import { firstStep } from '../../study-kit/runs.js';
import { geometricMean, mean } from '../../study-kit/series.js';
import { backwardGains, type LayerGain } from './backward-gain.js';
import type { GlorotArm, GlorotBengioSettings, VarianceArm } from './settings.js';

/**
 * The nets the claim is about: the paper's initialisation for each arm. Each arm's measured gain
 * must match both the theory for its own init (the argument describes the net) and this net's
 * (the net is the one the claim names: a sigmoid net whose signal fades about fiftyfold, a tanh
 * net that keeps most of it).
 */
export const PAPER_NET: Record<
  VarianceArm,
  { activation: GlorotArm['activation']; init: 'standard' | Initializer }
> = {
  saturating: { activation: 'sigmoid', init: 'standard' },
  normalised: { activation: 'tanh', init: 'xavier-uniform' },
};

/** The theory's view of dense layer `layer` (0-based) of a net drawn by an init setting. */
function kernelTheory(
  s: GlorotBengioSettings,
  init: 'standard' | Initializer,
  layer: number,
  field: string,
): InitLike {
  const fanIn = layer === 0 ? MNIST_INPUT_SIZE : s.width;
  return theoryInit(
    layerInit(mnistMlpInit(init, s.hiddenLayers, s.width), layer),
    fanIn,
    s.width,
    field,
  );
}

/** The theory's initialiser of dense layer `layer` (0-based) for an arm: its own, or theoryInit. */
export function theoryInitOf(s: GlorotBengioSettings, arm: VarianceArm, layer: number): InitLike {
  const a = s[arm];
  const field = `settings.${arm}.${a.theoryInit === undefined ? 'init' : 'theoryInit'}`;
  return kernelTheory(s, a.theoryInit ?? a.init, layer, field);
}

/** The initialiser of dense layer `layer` of the paper's net for an arm. */
export const paperInitOf = (s: GlorotBengioSettings, arm: VarianceArm, layer: number): InitLike =>
  kernelTheory(s, PAPER_NET[arm].init, layer, `the ${arm} paper net`);

/** One random network measured at initialisation for the variance argument. */
export interface Draw extends ArmSeed<VarianceArm> {
  /** Step 1's backward gain per hidden layer from 2 on, measured and predicted by the theory. */
  readonly gains: readonly LayerGain[];
  /** The same layers' gains as the paper's net for the arm predicts them (PAPER_NET). */
  readonly paper: readonly LayerGain[];
}

/** A draw's backward gains, with the theory's prediction for its own init and the paper net's. */
export function measureDraw(s: GlorotBengioSettings, draw: Finished<ArmSeed<VarianceArm>>): Draw {
  const { arm, seed, label, run } = draw;
  const step = firstStep(run);
  const gainsOf = (activation: GlorotArm['activation'], init: (layer: number) => InitLike) =>
    backwardGains(step, { activation, width: s.width, init });
  const gains = gainsOf(s[arm].activation, (layer) => theoryInitOf(s, arm, layer));
  const paper = gainsOf(PAPER_NET[arm].activation, (layer) => paperInitOf(s, arm, layer));
  return { arm, seed, label, gains, paper };
}

/**
 * An arm's gains over its draws, as geometric means over every layer: measured, predicted by the
 * theory for its init and by the paper's net, the ratios, and the standard error of the log of
 * measured/predicted (sample standard deviation over the layers / sqrt(layers)).
 */
export function armGains(draws: readonly Draw[], arm: VarianceArm) {
  const own = ofArm(draws, arm);
  const gains = own.flatMap((d) => d.gains);
  const paper = own.flatMap((d) => d.paper);
  const logs = gains.map((g) => Math.log(g.measured / g.predicted));
  const ratio = Math.exp(mean(logs));
  const paperRatio = geometricMean(
    gains.map((g, i) => g.measured / (paper[i] as LayerGain).predicted),
  );
  const spread = logs.reduce((a, x) => a + (x - Math.log(ratio)) ** 2, 0) / (logs.length - 1);
  return {
    ratio,
    difference: relativeDifference(ratio, 1),
    paperRatio,
    paperDifference: relativeDifference(paperRatio, 1),
    measured: geometricMean(gains.map((g) => g.measured)),
    predicted: geometricMean(gains.map((g) => g.predicted)),
    paperPredicted: geometricMean(paper.map((g) => g.predicted)),
    worstLayer: Math.max(...gains.map((g) => relativeDifference(g.measured, g.predicted))),
    standardError: Math.sqrt(spread / logs.length),
    layers: gains.length,
  };
}
