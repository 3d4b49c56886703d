import type { FigurePoint, StudyFigure, StudyTable } from '../../study.js';
import { finiteOrNull } from '../../study-kit/check-values.js';
import { logLineFigure, plotted } from '../../study-kit/log-plots.js';
import { mean } from '../../study-kit/series.js';
import { tableOf } from '../../study-kit/table.js';
import { ADDING_MEAN_BASELINE } from './baseline.js';
import {
  BEAT_FRACTION,
  byCell,
  LEARNED_FRACTION,
  NOT_LEARNED_FRACTION,
  type PresetRun,
  type Results,
} from './checks.js';
import { CELL_TITLES } from './settings.js';

/** Steps averaged per point of the presets' loss curves: about 80 points per curve. */
const LOSS_POINTS = 80;

/** A preset's training loss, averaged over windows of steps (one mini-batch's loss is noisy). */
function windowedLoss(m: PresetRun): FigurePoint[] {
  const losses = m.run.losses;
  const window = Math.max(1, Math.round(losses.length / LOSS_POINTS));
  const windows = Math.floor(losses.length / window);
  return Array.from({ length: windows }, (_, w) => {
    const y = mean(losses.slice(w * window, (w + 1) * window));
    return plotted(`${m.preset} (${m.cell})`, (w + 1) * window, y);
  }).flat();
}

function presetFigures(r: Results): StudyFigure[] {
  if (!r.presets) return [];
  const { lstm, rnn } = r.presets;
  const steps = Math.max(lstm.run.losses.length, rnn.run.losses.length);
  const baseline = (x: number) => ({ series: 'predict the mean', x, y: lstm.baseline });
  return [
    logLineFigure({
      id: 'preset-training-loss',
      title: `The presets: training loss at T = ${lstm.length}`,
      y: 'training MSE (mean over a window of steps)',
      points: [...windowedLoss(lstm), ...windowedLoss(rnn), baseline(1), baseline(steps)],
      caption: `The LSTM sits at the predict-the-mean MSE for a few hundred steps, then learns the task; the plain RNN stays there. The check asks the LSTM for ${LEARNED_FRACTION}x the baseline and the RNN for at least ${NOT_LEARNED_FRACTION}x.`,
    }),
  ];
}

export function figures(r: Results): StudyFigure[] {
  const cells = byCell(r);
  const baseline = r.lengths.map((T) => ({
    series: 'predict the mean',
    x: T,
    y: r.baseline.get(T) ?? ADDING_MEAN_BASELINE,
  }));
  return [
    ...presetFigures(r),
    logLineFigure({
      id: 'mse-vs-length',
      title: 'Adding problem: final MSE against sequence length',
      x: 'sequence length T',
      y: 'evaluation MSE',
      points: [...cells.flatMap((m) => plotted(CELL_TITLES[m.cell], m.length, m.mse)), ...baseline],
      caption: `A cell has learned the problem where its line is well below "predict the mean" (1/6); the checks ask for ${BEAT_FRACTION}x.`,
    }),
    logLineFigure({
      id: 'gradient-through-time',
      title: 'Gradient reaching the first time step, after training',
      x: 'sequence length T',
      y: '||dL/dh_1|| / ||dL/dh_T||',
      points: cells.flatMap((m) => plotted(CELL_TITLES[m.cell], m.length, m.signalAtEnd)),
      caption:
        'The backpropagated signal at the first time step relative to the last, measured on the last training step (zero or NaN not drawn).',
    }),
  ];
}

const presetTable = (presets: readonly PresetRun[]): StudyTable =>
  tableOf('presets', 'The presets against the predict-the-mean baseline', presets, {
    preset: (m) => m.preset,
    cell: (m) => m.cell,
    T: (m) => m.length,
    steps: (m) => m.steps,
    'final MSE': (m) => finiteOrNull(m.mse),
    'predict-the-mean MSE': (m) => m.baseline,
    'MSE / baseline': (m) => finiteOrNull(m.mse / m.baseline),
  });

export function tables(r: Results): StudyTable[] {
  const base = (T: number) => r.baseline.get(T) ?? Number.NaN;
  return [
    tableOf(
      'mse-by-length-and-cell',
      'Final MSE and gradient through time, per length and cell',
      r.runs,
      {
        T: (m) => m.length,
        cell: (m) => CELL_TITLES[m.cell],
        'final MSE': (m) => finiteOrNull(m.mse),
        'MSE / baseline': (m) => finiteOrNull(m.mse / base(m.length)),
        [`beats ${BEAT_FRACTION}x baseline`]: (m) => (m.beats ? 'yes' : 'no'),
        '||dL/dh_1||/||dL/dh_T|| at init': (m) => m.signalAtInit,
        'after training': (m) => m.signalAtEnd,
      },
    ),
    ...(r.presets ? [presetTable([r.presets.lstm, r.presets.rnn])] : []),
  ];
}
