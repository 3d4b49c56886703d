import type { FigurePoint, StudyFigure, TrainedRun } from '../study.js';

/** Whether a log axis can draw y: zero, negative, NaN, Inf and missing values cannot. */
export const plottable = (y: number | null | undefined): y is number =>
  y !== null && y !== undefined && Number.isFinite(y) && y > 0;

/** The point (x, y) of a series, or none where a log axis cannot draw y (captions say so). */
export const plotted = (series: string, x: number, y: number | null | undefined): FigurePoint[] =>
  plottable(y) ? [{ series, x, y }] : [];

/** A training-loss curve as one series: losses[i] is the loss of step i + 1. */
export const lossPoints = (series: string, losses: readonly number[]): FigurePoint[] =>
  losses.flatMap((y, i) => plotted(series, i + 1, y));

/** A run's global gradient norm at every step that measured one, as one series. */
export const gradientNormPoints = (series: string, run: TrainedRun): FigurePoint[] =>
  run.steps.flatMap((d) => plotted(series, d.step, d.globalGradNorm));

/** A line chart on a log y axis: a measurement against the training step, or against `x`. */
export function logLineFigure(figure: {
  readonly id: string;
  readonly title: string;
  /** The x axis' title: "step" unless given. */
  readonly x?: string;
  /** The y axis' title. */
  readonly y: string;
  readonly points: readonly FigurePoint[];
  readonly caption: string;
}): StudyFigure {
  const { id, title, x = 'step', y, points, caption } = figure;
  return { id, title, kind: 'line', x: { title: x }, y: { title: y, log: true }, points, caption };
}
