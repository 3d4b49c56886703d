import type { StudyFigure, TrainedRun } from '../study.js';
import { mean } from './series.js';

/** One learning curve of a figure: its legend, and the runs (seeds) it averages. */
export interface LossLine {
  readonly series: string;
  readonly runs: readonly TrainedRun[];
}

/**
 * The training loss of each line, step by step, averaged over its runs: the learning curves of
 * a comparison. "Training loss" unless the study names it otherwise (pretraining: fine-tuning).
 */
export function meanLossFigure(
  lines: readonly LossLine[],
  steps: number,
  text: { readonly id?: string; readonly title?: string; readonly caption?: string } = {},
): StudyFigure {
  return {
    id: text.id ?? 'loss',
    title: text.title ?? 'Training loss',
    kind: 'line',
    x: { title: 'step' },
    y: { title: 'cross-entropy (mean over seeds)' },
    points: lines.flatMap(({ series, runs }) =>
      Array.from({ length: steps }, (_, i) => ({
        series,
        x: i + 1,
        y: mean(runs.map((r) => r.losses[i] as number)),
      })),
    ),
    ...(text.caption === undefined ? {} : { caption: text.caption }),
  };
}
