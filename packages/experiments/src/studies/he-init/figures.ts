import type { FigurePoint, StudyFigure, StudyTable } from '../../study.js';
import { ofArm } from '../../study-kit/arm-runs.js';
import { formatNumber, formatPercent } from '../../study-kit/format.js';
import { meanLossFigure } from '../../study-kit/loss-figure.js';
import { geometricMean, relativeLossDrop } from '../../study-kit/series.js';
import { firstToLast, SIGNAL_PROFILE_AXES } from '../../study-kit/signal-profile.js';
import { tableOf } from '../../study-kit/table.js';
import { armPrediction, type Profile } from './checks.js';
import { ARM_TITLE, ARMS, type HeInitSettings } from './settings.js';

/** Each arm's signal per hidden layer over the last one's: measured on the draws, and predicted. */
function profilePoints(s: HeInitSettings, draws: readonly Profile[]): FigurePoint[] {
  const layers = Array.from({ length: s.depth - 1 }, (_, l) => l);
  const measured = ARMS.flatMap((arm) =>
    layers.map((l) => ({
      series: `${ARM_TITLE[arm]}, measured`,
      x: l + 1,
      y: geometricMean(
        ofArm(draws, arm).map((r) => (r.signal[l] as number) / (r.signal.at(-1) as number)),
      ),
    })),
  );
  // The theory's straight line on the log axis: log2PerLayer per layer back from the last.
  const predicted = ARMS.flatMap((arm) =>
    layers.map((l) => ({
      series: `${ARM_TITLE[arm]}, predicted`,
      x: l + 1,
      y: 2 ** (armPrediction(s, arm).log2PerLayer * (layers.length - 1 - l)),
    })),
  );
  return [...measured, ...predicted];
}

export function figures(
  s: HeInitSettings,
  trained: readonly Profile[],
  draws: readonly Profile[],
): StudyFigure[] {
  return [
    {
      id: 'signal-profile',
      title: `Backpropagated signal at step 1, ${s.depth}-layer ReLU MLP`,
      ...SIGNAL_PROFILE_AXES,
      points: profilePoints(s, draws),
      caption: `Xavier's signal falls by sqrt(1/2) per layer going back, a straight line on the log axis; He's stays level. The predicted lines are the theory's n Var(w) / 2 per layer for each arm's initialiser. Geometric mean over ${s.signalDraws} random networks per arm.`,
    },
    meanLossFigure(
      ARMS.map((arm) => ({ series: ARM_TITLE[arm], runs: ofArm(trained, arm).map((r) => r.run) })),
      s.steps,
      { caption: 'He trains; Xavier stays at the loss of a uniform guess (ln 10 = 2.30).' },
    ),
  ];
}

export function tables(trained: readonly Profile[]): StudyTable[] {
  return [
    tableOf('runs', 'Per arm and seed', trained, {
      arm: (r) => ARM_TITLE[r.arm],
      seed: (r) => r.seed,
      'log2 ||dL/dh|| per layer (going back)': (r) => formatNumber(r.log2PerLayer),
      'first/last hidden layer, step 1': (r) => formatNumber(firstToLast(r.signal)),
      'first loss': (r) => formatNumber(r.run.losses[0]),
      'last loss': (r) => formatNumber(r.run.losses.at(-1)),
      'loss drop': (r) => formatPercent(relativeLossDrop(r.run.losses)),
      'accuracy (inference)': (r) => formatPercent(r.run.result.evaluation?.accuracy),
    }),
  ];
}
