import type { FigurePoint, StudyFigure, StudyTable } from '../../study.js';
import { formatNumber, formatPercent } from '../../study-kit/format.js';
import { meanLossFigure } from '../../study-kit/loss-figure.js';
import { finalAccuracy, finalLoss, firstStep } from '../../study-kit/runs.js';
import { geometricMean } from '../../study-kit/series.js';
import { tableOf } from '../../study-kit/table.js';
import { type SeedPair, startGradients } from './checks.js';
import { ARMS, type PretrainingSettings } from './settings.js';

export function figures(s: PretrainingSettings, pairs: readonly SeedPair[]): StudyFigure[] {
  const layers = s.hiddenLayers + 1;
  const gradients: FigurePoint[] = ARMS.flatMap((arm) =>
    Array.from({ length: layers }, (_, l) => ({
      series: arm,
      x: l + 1,
      y: geometricMean(pairs.map((p) => startGradients(p[arm])[l] as number)),
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
    meanLossFigure(
      ARMS.map((arm) => ({ series: arm, runs: pairs.map((p) => p[arm]) })),
      s.steps,
      { id: 'fine-tuning-loss', title: 'Fine-tuning loss' },
    ),
  ];
}

export function tables(pairs: readonly SeedPair[]): StudyTable[] {
  const rows = pairs.flatMap((p) => ARMS.map((arm) => ({ seed: p.seed, arm, run: p[arm] })));
  return [
    tableOf('runs', 'Per seed and arm', rows, {
      seed: (r) => r.seed,
      arm: (r) => r.arm,
      '||dL/dW1|| at step 1': (r) => formatNumber(startGradients(r.run)[0]),
      'first/last ||dL/dh||, step 1': (r) =>
        formatNumber(firstStep(r.run).signal?.ratioFirstToLast),
      'reconstruction MSE per layer (first -> last)': (r) =>
        r.run.result.pretraining
          .map((l) => `${formatNumber(l.firstLoss)} -> ${formatNumber(l.lastLoss)}`)
          .join('; ') || '-',
      'loss (inference)': (r) => formatNumber(finalLoss(r.run)),
      'accuracy (inference)': (r) => formatPercent(finalAccuracy(r.run)),
    }),
  ];
}
