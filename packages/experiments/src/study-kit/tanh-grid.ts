import type { ExperimentSpecInput } from '@gradlab/core';
import { criticalSw2, meanField } from '@gradlab/theory';
import type { StudyFigure, StudyRuns } from '../study.js';
import { formatNumber } from './format.js';
import { finalAccuracy } from './runs.js';

/**
 * Plain tanh networks as mean-field theory describes them (Poole et al. 2016; Schoenholz et al.
 * 2017), and the depth x sw2 grids of them that mean-field and phase-diagram train.
 */

/** A weight variance sw2, or "critical": the sw2 on the order-to-chaos line for the study's sb2. */
export type Sw2 = number | 'critical';

/** The sw2 a setting stands for: "critical" is solved from chi_1(sw2, sb2) = 1 for tanh. */
export function resolveSw2(sw2: Sw2, sb2: number): number {
  return sw2 === 'critical' ? criticalSw2('tanh', sb2) : sw2;
}

/** "0.6", or "1.76 (critical)": how a column of the grid is named. */
export function sw2Label(sw2: Sw2, value: number): string {
  const number = formatNumber(value);
  return sw2 === 'critical' ? `${number} (critical)` : number;
}

/** 6 xi_c as a caption prints it: "unbounded" on the critical line. */
export const trainableDepthText = (depth: number): string =>
  Number.isFinite(depth) ? formatNumber(depth) : 'unbounded';

/** The variances and the shape of a tanh MLP as mean-field theory describes it. */
export interface MeanFieldNet {
  readonly sw2: number;
  readonly sb2: number;
  readonly depth: number;
  readonly width: number;
}

/**
 * A tanh MLP with every weight W_ij ~ N(0, sw2 / fan-in) (LeCun's normal with gain sqrt(sw2))
 * and every bias b_i ~ N(0, sb2).
 */
export function meanFieldMlp(
  o: MeanFieldNet,
): Extract<ExperimentSpecInput['model'], { kind: 'mlp' }> {
  return {
    kind: 'mlp',
    depth: o.depth,
    width: o.width,
    activation: 'tanh',
    init: { kind: 'lecun-normal', gain: Math.sqrt(o.sw2) },
    biasInit: o.sb2 > 0 ? { kind: 'normal', std: Math.sqrt(o.sb2) } : 'zeros',
  };
}

/**
 * A plain tanh MLP on MNIST with mean-field weights and biases, trained with plain SGD as in
 * Schoenholz et al. (2017, Fig. 5), at laptop scale. In the ordered phase (c* = 1) the forward
 * correlations and the backward gradient both fade on the one depth scale xi_c = -1 / log chi_1.
 * `residualEvery` adds identity skips: a counterfactual network the theory does not describe.
 */
export function gridCellSpec(
  options: MeanFieldNet & {
    readonly name: string;
    readonly seed: number;
    readonly steps: number;
    readonly batchSize: number;
    readonly lr: number;
    readonly samples: number;
    readonly residualEvery: number | null;
  },
): ExperimentSpecInput {
  const { residualEvery, steps } = options;
  return {
    gradlab: 1,
    name: options.name,
    seed: options.seed,
    data: { kind: 'mnist', samples: options.samples },
    model: {
      ...meanFieldMlp(options),
      residual: residualEvery === null ? null : { every: residualEvery },
    },
    training: { steps, batchSize: options.batchSize, optimizer: { kind: 'sgd', lr: options.lr } },
    // Only the first and last steps in full: the grid needs the accuracy, not the profiles.
    diagnostics: { every: steps },
  };
}

/** The sw2 values and depths of a grid, and the bias variance of all its cells. */
export interface TanhGridAxes {
  readonly sw2: readonly Sw2[];
  readonly depths: readonly number[];
  readonly sb2: number;
}

/**
 * Every cell of the grid, sw2 by sw2 and depth by depth within one (the order its runs train
 * in), with mean-field theory at its sw2 (chi_1, and 6 xi_c: Infinity on the critical line) and
 * its key, "sw2-critical-depth24", that names its run.
 */
export function tanhGridCells(grid: TanhGridAxes) {
  return grid.sw2.flatMap((sw2) => {
    const sw2Value = resolveSw2(sw2, grid.sb2);
    const { chi1, trainableDepth } = meanField('tanh', { sw2: sw2Value, sb2: grid.sb2 });
    return grid.depths.map((depth) => {
      const key = `sw2-${sw2}-depth${depth}`;
      return { sw2, sw2Value, depth, chi1, trainableDepth, key };
    });
  });
}

/**
 * The grid's cells once trained, each with its accuracy (inference mode) and whether it reached
 * `trainedAccuracy`; the run of a cell is labelled `${labelPrefix}${key}`.
 */
export function trainedTanhCells(
  grid: TanhGridAxes,
  runs: StudyRuns,
  labelPrefix: string,
  trainedAccuracy: number,
) {
  return tanhGridCells(grid).map((cell) => {
    const accuracy = finalAccuracy(runs.get(`${labelPrefix}${cell.key}`));
    return { ...cell, accuracy, trained: accuracy >= trainedAccuracy };
  });
}

/** What the heatmap draws of a trained cell. */
type TrainedTanhCell = { sw2: Sw2; sw2Value: number; depth: number; accuracy: number };

/** The grid's accuracy as a depth x sw2 heatmap, each cell in the series `series` names. */
export function accuracyHeatmap<C extends TrainedTanhCell>(
  figure: { readonly id: string; readonly title: string; readonly caption: string },
  cells: readonly C[],
  series: (cell: C) => string,
): StudyFigure {
  return {
    id: figure.id,
    title: figure.title,
    kind: 'heatmap',
    x: { title: 'sw2' },
    y: { title: 'depth (dense layers)' },
    value: { title: 'accuracy' },
    points: cells.map((c) => ({
      series: series(c),
      x: sw2Label(c.sw2, c.sw2Value),
      y: String(c.depth),
      value: c.accuracy,
    })),
    caption: figure.caption,
  };
}
