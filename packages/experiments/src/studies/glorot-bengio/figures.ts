import type { StepDiagnostics } from '@gradlab/core';
import type { StudyFigure, StudyTable } from '../../study.js';
import { ofArm } from '../../study-kit/arm-runs.js';
import { formatNumber, formatPercent } from '../../study-kit/format.js';
import { meanLossFigure } from '../../study-kit/loss-figure.js';
import { fullSteps } from '../../study-kit/runs.js';
import { geometricMean, mean, sampleStd } from '../../study-kit/series.js';
import { tableOf } from '../../study-kit/table.js';
import type { LayerGain } from './backward-gain.js';
import { factor, hiddenMeans, type TrainedNet } from './checks.js';
import {
  ARMS,
  type Arm,
  armTitle,
  type GlorotBengioSettings,
  VARIANCE_ARMS,
  type VarianceArm,
} from './settings.js';
import type { Draw } from './variance-argument.js';

/** One hidden layer of an arm: its gain in every draw. */
interface LayerOfDraws {
  readonly arm: VarianceArm;
  readonly layer: number;
  readonly gains: readonly LayerGain[];
}

function layersOfDraws(draws: readonly Draw[]): LayerOfDraws[] {
  return VARIANCE_ARMS.flatMap((arm) => {
    const own = ofArm(draws, arm);
    return (own[0]?.gains ?? []).map((g, i) => ({
      arm,
      layer: g.layer,
      gains: own.map((d) => d.gains[i] as LayerGain),
    }));
  });
}

/** The geometric mean over the draws of one number of a layer's gain. */
const over = (l: LayerOfDraws, of: (g: LayerGain) => number) => geometricMean(l.gains.map(of));

function gainFigure(s: GlorotBengioSettings, draws: readonly Draw[]): StudyFigure {
  return {
    id: 'backward-gain',
    title: "Backward gain per hidden layer at step 1: measured against n Var(W) E[phi'^2]",
    kind: 'line',
    x: { title: 'hidden layer l' },
    y: { title: '||dL/dh_(l-1)||^2 / ||dL/dh_l||^2', log: true },
    points: layersOfDraws(draws).flatMap((l) => [
      { series: `${armTitle(s, l.arm)}, measured`, x: l.layer, y: over(l, (g) => g.measured) },
      { series: `${armTitle(s, l.arm)}, predicted`, x: l.layer, y: over(l, (g) => g.predicted) },
    ]),
    caption: `Glorot & Bengio's variance argument, at initialisation (geometric mean over ${s.varianceDraws} random networks per net): the standard init's signal fades by a factor of about 50 per layer, the normalised tanh net keeps most of it.`,
  };
}

function gainTable(s: GlorotBengioSettings, draws: readonly Draw[]): StudyTable {
  const logRatios = (l: LayerOfDraws) => l.gains.map((g) => Math.log(g.measured / g.predicted));
  return tableOf(
    'backward-gain',
    `Backward gain per hidden layer at step 1, geometric mean over ${s.varianceDraws} random networks per net`,
    layersOfDraws(draws),
    {
      net: (l) => armTitle(s, l.arm),
      layer: (l) => l.layer,
      'q (pre-activation variance)': (l) => formatNumber(over(l, (g) => g.q)),
      measured: (l) => formatNumber(over(l, (g) => g.measured)),
      predicted: (l) => formatNumber(over(l, (g) => g.predicted)),
      'measured/predicted': (l) => factor(Math.exp(mean(logRatios(l)))),
      'scatter of one network (std of the log ratio)': (l) =>
        formatPercent(sampleStd(logRatios(l))),
    },
  );
}

/** The mean activation of each hidden layer over the steps, of an arm's first seed. */
function meansFigure(s: GlorotBengioSettings, trained: readonly TrainedNet[], arm: Arm) {
  const { activation } = s[arm];
  const run = (ofArm(trained, arm)[0] as TrainedNet).run;
  return {
    id: `activation-means-${arm}`,
    title: `Mean activation per hidden layer: the ${arm} net`,
    points: fullSteps(run).flatMap((d) =>
      hiddenMeans(d).map((m, l) => ({ series: `layer ${l + 1}`, x: d.step, y: m })),
    ),
    x: { title: 'step' },
    y: { title: `mean ${activation} activation` },
    kind: 'line' as const,
    caption: `Mean activation of each hidden layer of the ${activation} net (seed ${s.seeds[0]}), the study's counterpart of Glorot & Bengio's figure 2. Layer ${s.hiddenLayers} is the top hidden layer.`,
  };
}

export function figures(
  s: GlorotBengioSettings,
  trained: readonly TrainedNet[],
  draws: readonly Draw[],
): StudyFigure[] {
  return [
    meansFigure(s, trained, 'saturating'),
    meansFigure(s, trained, 'normalised'),
    gainFigure(s, draws),
    meanLossFigure(
      ARMS.map((arm) => ({
        series: armTitle(s, arm),
        runs: ofArm(trained, arm).map((r) => r.run),
      })),
      s.steps,
      {
        caption:
          'The sigmoid net stays near ln 10 = 2.30, the loss of a uniform guess; the tanh net falls faster with the normalised init than with the standard one.',
      },
    ),
  ];
}

export function tables(
  s: GlorotBengioSettings,
  trained: readonly TrainedNet[],
  draws: readonly Draw[],
): StudyTable[] {
  return [
    gainTable(s, draws),
    tableOf('runs', 'Per net and seed, at the last step', trained, {
      net: (r) => armTitle(s, r.arm),
      seed: (r) => r.seed,
      'mean activation per hidden layer (input side first)': (r) =>
        hiddenMeans(fullSteps(r.run).at(-1) as StepDiagnostics)
          .map(formatNumber)
          .join(', '),
      'first loss': (r) => formatNumber(r.run.losses[0]),
      'last loss': (r) => formatNumber(r.run.losses.at(-1)),
      'mean training loss': (r) => formatNumber(mean(r.run.losses)),
      'accuracy (inference)': (r) => formatPercent(r.run.result.evaluation?.accuracy),
    }),
  ];
}
