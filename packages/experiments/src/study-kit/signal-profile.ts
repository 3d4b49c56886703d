import type { StudyFigure, TrainedRun } from '../study.js';
import { firstStep, signalNorms } from './runs.js';

/** ||dL/dh|| per hidden layer at step 1, input side first: the backward signal as initialised. */
export const startSignal = (run: TrainedRun): readonly number[] =>
  signalNorms(firstStep(run), run.label);

/** The first hidden layer's ||dL/dh|| over the last's: below 1e-3 the gradient vanishes. */
export const firstToLast = (signal: readonly number[]): number =>
  (signal[0] as number) / (signal.at(-1) as number);

/** The axes of a signal-profile figure: each layer's ||dL/dh|| over the last hidden layer's. */
export const SIGNAL_PROFILE_AXES: Pick<StudyFigure, 'kind' | 'x' | 'y'> = {
  kind: 'line',
  x: { title: 'hidden layer (input side first)' },
  y: { title: '||dL/dh|| relative to the last hidden layer', log: true },
};
