import type { ExperimentSpecInput } from '@gradlab/core';
import { gridCellSpec, resolveSw2, type Sw2 } from '../../study-kit/tanh-grid.js';

/**
 * The tanh phase diagram: depth x sw2 at one sb2, plain tanh MLPs trained on MNIST with SGD.
 * One definition serves the `phase-tanh` sweep (@gradlab/sweep) and the `phase-diagram` study,
 * so the grid a user sweeps and the grid `gradlab verify` judges cannot drift apart. It lives
 * here because @gradlab/sweep depends on @gradlab/experiments, not the other way round.
 */
export interface PhaseGrid {
  /** Bias variance: Schoenholz et al. (2017) use 0.05, where the critical sw2 of tanh is 1.761. */
  readonly sb2: number;
  /** Weight variances, ordered to chaotic; "critical" is solved for `sb2`. */
  readonly sw2: readonly Sw2[];
  /** Dense layers, the output layer included. */
  readonly depths: readonly number[];
  readonly width: number;
  readonly steps: number;
  readonly batchSize: number;
  /** SGD's learning rate. */
  readonly lr: number;
  /** MNIST digits to train on (the first 1,024 also measure the accuracy). */
  readonly samples: number;
  readonly seed: number;
}

const common = { sb2: 0.05, width: 64, batchSize: 64, lr: 0.01, samples: 2000, seed: 0 } as const;

/**
 * The grids of `gradlab sweep phase-tanh` (full) and `phase-tanh --fast`. The fast one is what
 * `gradlab verify phase-diagram` judges: sw2 far on the ordered side (1), near the line (1.5,
 * critical, 2.25) and far on the chaotic side (3, 4), depths 10 to 100.
 */
export const PHASE_TANH_GRIDS: { readonly full: PhaseGrid; readonly fast: PhaseGrid } = {
  full: {
    ...common,
    sw2: [1, 1.25, 1.5, 'critical', 2, 2.25, 2.5, 3, 3.5, 4],
    depths: [10, 20, 30, 45, 60, 80, 100, 130, 160, 200],
    steps: 2000,
  },
  fast: {
    ...common,
    sw2: [1, 1.5, 'critical', 2.25, 3, 4],
    depths: [10, 25, 45, 60, 80, 100],
    steps: 1000,
  },
};

/** The sw2 of a grid as numbers, "critical" resolved. */
export function phaseSw2Values(grid: PhaseGrid): number[] {
  return grid.sw2.map((sw2) => resolveSw2(sw2, grid.sb2));
}

/** One cell of the grid: a plain tanh MLP with W ~ N(0, sw2 / fan-in), b ~ N(0, sb2). */
export function phaseCellSpec(
  grid: PhaseGrid,
  cell: { readonly name: string; readonly sw2: number; readonly depth: number },
): ExperimentSpecInput {
  return gridCellSpec({
    name: cell.name,
    seed: grid.seed,
    sw2: cell.sw2,
    sb2: grid.sb2,
    depth: cell.depth,
    width: grid.width,
    steps: grid.steps,
    batchSize: grid.batchSize,
    lr: grid.lr,
    samples: grid.samples,
    residualEvery: null,
  });
}
