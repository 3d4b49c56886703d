import type { FigurePoint, StudyFigure, StudyTable } from '../../study.js';
import { formatNumber, formatPercent } from '../training-measures/format.js';
import { finalAccuracy, finalLoss, firstStep } from '../training-measures/runs.js';
import { geometricMean, mean } from '../training-measures/series.js';
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
  const losses: FigurePoint[] = ARMS.flatMap((arm) =>
    Array.from({ length: s.steps }, (_, i) => ({
      series: arm,
      x: i + 1,
      y: mean(pairs.map((p) => p[arm].losses[i] as number)),
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
    {
      id: 'fine-tuning-loss',
      title: 'Fine-tuning loss',
      kind: 'line',
      x: { title: 'step' },
      y: { title: 'cross-entropy (mean over seeds)' },
      points: losses,
    },
  ];
}

export function tables(pairs: readonly SeedPair[]): StudyTable[] {
  return [
    {
      id: 'runs',
      title: 'Per seed and arm',
      columns: [
        'seed',
        'arm',
        '||dL/dW1|| at step 1',
        'first/last ||dL/dh||, step 1',
        'reconstruction MSE per layer (first -> last)',
        'loss (inference)',
        'accuracy (inference)',
      ],
      rows: pairs.flatMap((p) =>
        ARMS.map((arm) => [
          p.seed,
          arm,
          formatNumber(startGradients(p[arm])[0]),
          formatNumber(firstStep(p[arm]).signal?.ratioFirstToLast),
          p[arm].result.pretraining
            .map((l) => `${formatNumber(l.firstLoss)} -> ${formatNumber(l.lastLoss)}`)
            .join('; ') || '-',
          formatNumber(finalLoss(p[arm])),
          formatPercent(finalAccuracy(p[arm])),
        ]),
      ),
    },
  ];
}
