import { GradlabError, type Verdict } from '@gradlab/core';
import type { SweepEntry } from '../sweep-file.js';

/** What a sweep report can draw per cell, named as sweep.json names the figures. */
export const SWEEP_MEASURES = [
  'verdict',
  'finalLoss',
  'accuracy',
  'gradientRatio',
  'initialGradientRatio',
  'signalRatio',
] as const;
export type SweepMeasure = (typeof SWEEP_MEASURES)[number];

/**
 * One entry's figure for a numeric measure. sweep.json keeps a non-finite figure as null (JSON
 * has no NaN), so a null in a done cell is a NaN or an Infinity whenever the run must have
 * measured it; 'not measured' is a null the run had no reason to fill (accuracy of a
 * regression, no signal profile). Cells without a result (failed, pending) never get here.
 */
export type EntryFigure =
  | { readonly kind: 'finite'; readonly value: number }
  | { readonly kind: 'non-finite' }
  | { readonly kind: 'not measured' };

export interface NumericMeasure {
  readonly name: Exclude<SweepMeasure, 'verdict'>;
  /** Its name in titles and table headers. */
  readonly title: string;
  /** Colour by log10: ratios span decades (a vanishing gradient is 1e-7 of the last layer's). */
  readonly log: boolean;
  readonly figure: (e: SweepEntry) => EntryFigure;
}

const FINITE = (x: number): EntryFigure => ({ kind: 'finite', value: x });

/** A figure the run always measures: null or a non-finite number is a blow-up. */
function alwaysMeasured(x: number | null | undefined): EntryFigure {
  return typeof x === 'number' && Number.isFinite(x) ? FINITE(x) : { kind: 'non-finite' };
}

/** A figure some runs do not measure: null is a blow-up only when the run itself blew up. */
function sometimesMeasured(x: number | null | undefined, e: SweepEntry): EntryFigure {
  if (typeof x === 'number') return Number.isFinite(x) ? FINITE(x) : { kind: 'non-finite' };
  const blewUp = e.verdict === 'non-finite' || alwaysMeasured(e.finalLoss).kind === 'non-finite';
  return blewUp ? { kind: 'non-finite' } : { kind: 'not measured' };
}

/**
 * The first (input-side) layer's weight-gradient norm over the last layer's: sweep.json's
 * `layers[0].ratioToLast`, how much of the gradient reaches the bottom of the network.
 */
export function gradientRatio(e: SweepEntry): number | null | undefined {
  return e.layers?.[0]?.ratioToLast;
}

export const NUMERIC_MEASURES: Readonly<Record<NumericMeasure['name'], NumericMeasure>> = {
  finalLoss: {
    name: 'finalLoss',
    title: 'final loss',
    log: false,
    figure: (e) => alwaysMeasured(e.finalLoss),
  },
  accuracy: {
    name: 'accuracy',
    title: 'accuracy',
    log: false,
    figure: (e) => sometimesMeasured(e.accuracy, e),
  },
  gradientRatio: {
    name: 'gradientRatio',
    title: 'gradient ratio, first layer / last',
    log: true,
    figure: (e) =>
      e.layers && e.layers.length > 0 ? alwaysMeasured(gradientRatio(e)) : { kind: 'not measured' },
  },
  initialGradientRatio: {
    name: 'initialGradientRatio',
    title: 'gradient ratio at initialisation, first layer / last',
    log: true,
    figure: (e) =>
      e.initialGradientRatio === undefined
        ? { kind: 'not measured' } // a sweep written before it was kept
        : sometimesMeasured(e.initialGradientRatio, e),
  },
  signalRatio: {
    name: 'signalRatio',
    title: 'backpropagated signal, first / last',
    log: true,
    figure: (e) => sometimesMeasured(e.signalRatio, e),
  },
};

/** The verdict's own colours, as the run report colours its verdict words. */
export const VERDICT_COLOUR: Readonly<Record<Verdict, string>> = {
  healthy: '#2e7d32',
  vanishing: '#1f5fbf',
  exploding: '#c0392b',
  'non-finite': '#8e44ad',
};

/** `name` as a measure, or INVALID_ARGUMENT naming it and listing the measures. */
export function parseMeasure(name: string): SweepMeasure {
  if ((SWEEP_MEASURES as readonly string[]).includes(name)) return name as SweepMeasure;
  throw new GradlabError(
    'INVALID_ARGUMENT',
    `unknown measure "${name}": the measures are ${SWEEP_MEASURES.join(', ')}.`,
  );
}

/**
 * The measures a report draws when none is chosen: the verdict, and every numeric measure
 * that at least one finished cell has a number for (no accuracy heatmap for a regression sweep).
 */
export function measuresWithData(entries: readonly SweepEntry[]): SweepMeasure[] {
  const done = entries.filter((e) => e.status === 'done');
  return SWEEP_MEASURES.filter(
    (m) =>
      m === 'verdict' ||
      m === 'finalLoss' ||
      // A NaN alone does not make a measure: exploding runs have no accuracy either.
      done.some((e) => NUMERIC_MEASURES[m].figure(e).kind === 'finite'),
  );
}
