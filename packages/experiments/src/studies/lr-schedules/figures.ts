import type { StudyFigure, StudyTable, TrainedRun } from '../../study.js';
import { finiteOrNull } from '../../study-kit/check-values.js';
import {
  gradientNormPoints,
  logLineFigure,
  lossPoints,
  plotted,
} from '../../study-kit/log-plots.js';
import { tableOf } from '../../study-kit/table.js';
import { gapOf, type LinearRun } from './checks.js';
import type { DeepArm } from './deep-network.js';
import type { LeastSquaresCurvature } from './least-squares.js';
import { fmt } from './numbers.js';
import type { LrSchedulesSettings } from './settings.js';

export function linearFigures(
  s: LrSchedulesSettings,
  arms: readonly LinearRun[],
  c: LeastSquaresCurvature,
): StudyFigure[] {
  const aboveMinimum = (a: LinearRun) => a.run.losses.map((y) => y - c.minLoss);
  return [
    logLineFigure({
      id: 'loss-curves',
      title: 'Linear layer: loss above the least-squares minimum, per step',
      y: 'loss - minimum',
      points: arms.flatMap((a) => lossPoints(a.label, aboveMinimum(a))),
      caption: `Gradient descent on a ${s.inputSize}-input linear regression, whole set per step. Above 2/L the loss grows geometrically (values past float32's range are not drawn); the decaying schedules climb at first, then fall to the minimum.`,
    }),
    logLineFigure({
      id: 'learning-rate',
      title: 'Linear layer: learning rate over the critical rate 2/L',
      y: 'lr / (2/L)',
      points: arms.flatMap((a) =>
        a.run.steps.flatMap((d) =>
          plotted(a.label, d.step, (d.telemetry.lr ?? Number.NaN) / c.criticalLr),
        ),
      ),
      caption: 'Below 1 a step shrinks the error along every direction of the quadratic.',
    }),
    logLineFigure({
      id: 'gradient-norm',
      title: 'Linear layer: gradient norm per step',
      y: '||g||',
      points: arms.flatMap((a) => gradientNormPoints(a.label, a.run)),
      caption: 'Above the critical rate the gradient explodes with the loss.',
    }),
  ];
}

export const linearTable = (arms: readonly LinearRun[], c: LeastSquaresCurvature): StudyTable =>
  tableOf(
    'arms',
    `Runs (2/L = ${fmt(c.criticalLr, 4)}, least-squares minimum ${fmt(c.minLoss, 5)})`,
    arms,
    {
      run: (a) => a.label,
      'initial lr / (2/L)': (a) => a.factor,
      schedule: (a) => a.schedule.kind,
      'first loss': (a) => finiteOrNull(a.firstLoss),
      'final loss': (a) => finiteOrNull(a.finalLoss),
      '(final - min) / min': (a) => finiteOrNull(gapOf(a, c.minLoss)),
    },
  );

/** Loss and gradient norm per step of the first seed's runs. */
export function deepFigures(
  s: LrSchedulesSettings,
  arms: readonly (DeepArm & { readonly run: TrainedRun })[],
): StudyFigure[] {
  const seed = s.deepSeeds[0];
  const shown = arms.filter((a) => a.seed === seed);
  const net = `${s.deepDepth}-layer ReLU network (width ${s.deepWidth}, He init), SGD on batches of ${s.deepBatchSize}, seed ${seed}`;
  return [
    logLineFigure({
      id: 'deep-loss-curves',
      title: 'Deep network: training loss per step',
      y: 'mini-batch loss',
      points: shown.flatMap((a) => lossPoints(a.arm, a.run.losses)),
      caption: `${net}. At the constant rate ${fmt(s.deepLargeLr)} the loss jumps by orders of magnitude within a few steps (NaN/Inf values are not drawn; a network that survives the overflow has dead units and falls back at best to predicting the mean); the constant rate ${fmt(s.deepSmallLr)} and the warm-up to ${fmt(s.deepLargeLr)} both bring it down.`,
    }),
    logLineFigure({
      id: 'deep-gradient-norm',
      title: 'Deep network: gradient norm per step',
      y: '||g|| (all layers)',
      points: shown.flatMap((a) => gradientNormPoints(a.arm, a.run)),
      caption: `${net}. The first large update moves the weights along the directions the product of layers amplifies, and the next gradient is orders of magnitude larger: each feeds the other until they overflow.`,
    }),
  ];
}

export const deepTable = (arms: readonly DeepArm[]): StudyTable =>
  tableOf('deep-arms', 'Deep-network runs', arms, {
    run: (a) => a.arm,
    seed: (a) => a.seed,
    'lr (peak)': (a) => a.lr,
    schedule: (a) =>
      a.schedule.kind + (a.schedule.warmupSteps ? ` (warm-up ${a.schedule.warmupSteps})` : ''),
    'first loss': (a) => finiteOrNull(a.firstLoss),
    'final loss': (a) => finiteOrNull(a.finalLoss),
    'final / first': (a) => finiteOrNull(a.finalLoss / a.firstLoss),
    'final / mean predictor': (a) => finiteOrNull(a.finalLoss / a.meanLoss),
    'largest loss / first': (a) => finiteOrNull(a.lossGrowth),
    'largest ||g|| / first': (a) => finiteOrNull(a.gradGrowth),
    'step 1: ||lr g|| / ||W||': (a) => finiteOrNull(a.firstUpdateToWeights),
    '||g|| at peak rate / step 1': (a) => finiteOrNull(a.gradAtPeakToFirst),
  });
