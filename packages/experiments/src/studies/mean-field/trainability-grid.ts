import { type ExperimentSpecInput, GradlabError } from '@gradlab/core';
import type { CheckResult } from '../../study.js';
import { formatNumber, formatPercent } from '../training-measures/format.js';
import type { Sw2 } from './chi-measure.js';

/**
 * Where a grid cell lies relative to the line depth = 6 xi_c: inside when its depth is at most
 * `insideBelow` times the line, outside when at least `outsideAbove` times it, near otherwise.
 * Cells near the line are shown but not judged: at laptop scale (a few hundred steps) the
 * boundary of the trainable region is a band, not a line.
 */
export type Zone = 'inside' | 'near' | 'outside';

export function zoneOf(
  depth: number,
  trainableDepth: number,
  insideBelow: number,
  outsideAbove: number,
): Zone {
  if (!(insideBelow > 0 && outsideAbove >= insideBelow)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `zone bounds must satisfy 0 < insideBelow <= outsideAbove; got insideBelow = ${insideBelow}, outsideAbove = ${outsideAbove}`,
    );
  }
  // On the critical line 6 xi_c is infinite: every depth is inside.
  const ratio = depth / trainableDepth;
  if (ratio <= insideBelow) return 'inside';
  if (ratio >= outsideAbove) return 'outside';
  return 'near';
}

/** One trained cell of the depth x sw2 grid. */
export interface GridCell {
  readonly sw2: Sw2;
  /** sw2 as a number ("critical" resolved). */
  readonly sw2Value: number;
  readonly depth: number;
  /** 6 xi_c at this sw2, from mean-field theory (Infinity on the critical line). */
  readonly trainableDepth: number;
  readonly zone: Zone;
  /** Accuracy of the trained network in inference mode on the training digits. */
  readonly accuracy: number;
  readonly trained: boolean;
}

/** "0.6", or "1.76 (critical)": how a column of the grid is named. */
export function sw2Label(sw2: Sw2, value: number): string {
  const number = formatNumber(value);
  return sw2 === 'critical' ? `${number} (critical)` : number;
}

/**
 * A plain tanh MLP on MNIST with mean-field weights and biases, trained with plain SGD as in
 * Schoenholz et al. (2017, Fig. 5), at laptop scale. In the ordered phase (c* = 1) the forward
 * correlations and the backward gradient both fade on the one depth scale xi_c = -1 / log chi_1.
 * `residualEvery` adds identity skips: a counterfactual network the theory does not describe.
 */
export function gridCellSpec(options: {
  readonly name: string;
  readonly seed: number;
  readonly sw2: number;
  readonly sb2: number;
  readonly depth: number;
  readonly width: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly samples: number;
  readonly residualEvery: number | null;
}): ExperimentSpecInput {
  const { sw2, sb2 } = options;
  return {
    gradlab: 1,
    name: options.name,
    seed: options.seed,
    data: { kind: 'mnist', samples: options.samples },
    model: {
      kind: 'mlp',
      depth: options.depth,
      width: options.width,
      activation: 'tanh',
      init: { kind: 'lecun-normal', gain: Math.sqrt(sw2) },
      biasInit: sb2 > 0 ? { kind: 'normal', std: Math.sqrt(sb2) } : 'zeros',
      residual: options.residualEvery === null ? null : { every: options.residualEvery },
    },
    training: {
      steps: options.steps,
      batchSize: options.batchSize,
      optimizer: { kind: 'sgd', lr: options.lr },
    },
    // Only the first and last steps in full: the grid needs the accuracy, not the profiles.
    diagnostics: { every: options.steps },
  };
}

export interface ZoneCheckOptions {
  /** A cell has trained when its accuracy reaches this. */
  readonly trainedAccuracy: number;
  /** The least fraction of judged cells that must agree with the line. */
  readonly minAgreement: number;
  readonly insideBelow: number;
  readonly outsideAbove: number;
}

const cellName = (c: GridCell) => `sw2=${sw2Label(c.sw2, c.sw2Value)},depth=${c.depth}`;

/**
 * Inside the line, cells must train; outside, they must not. A zone without a cell fails: the
 * grid then does not test that side of the line.
 */
export function zoneCheck(
  zone: 'inside' | 'outside',
  cells: readonly GridCell[],
  options: ZoneCheckOptions,
): CheckResult {
  const judged = cells.filter((c) => c.zone === zone);
  const agreeing = judged.filter((c) => (zone === 'inside' ? c.trained : !c.trained));
  const fraction = judged.length > 0 ? agreeing.length / judged.length : 0;
  const bound =
    zone === 'inside'
      ? `depth <= ${options.insideBelow} x 6 xi_c`
      : `depth >= ${options.outsideAbove} x 6 xi_c`;
  const verb =
    zone === 'inside'
      ? `reach accuracy >= ${formatPercent(options.trainedAccuracy)}`
      : `stay below accuracy ${formatPercent(options.trainedAccuracy)}`;
  const disagreeing = judged.filter((c) => !agreeing.includes(c));
  return {
    id: zone === 'inside' ? 'grid-inside-trains' : 'grid-outside-fails',
    claim:
      zone === 'inside'
        ? 'Networks well inside the trainable depth 6 xi_c train.'
        : 'Networks well beyond the trainable depth 6 xi_c do not train.',
    pass: judged.length > 0 && fraction >= options.minAgreement,
    measured:
      judged.length === 0
        ? `no cell of the grid has ${bound}: this side of the line is not tested`
        : `${agreeing.length} of ${judged.length} cells with ${bound} ${verb} (${formatPercent(fraction)})${
            disagreeing.length > 0
              ? `; not: ${disagreeing.map((c) => `${cellName(c)} ${formatPercent(c.accuracy)}`).join(', ')}`
              : ''
          }; accuracies ${judged.map((c) => formatNumber(c.accuracy)).join(', ')}`,
    expected: `at least ${formatPercent(options.minAgreement)} of the cells with ${bound} ${verb} (chance is 10%), and at least one such cell`,
    values: {
      cells: judged.length,
      agreeing: agreeing.length,
      fraction,
      minAgreement: options.minAgreement,
      trainedAccuracy: options.trainedAccuracy,
      ...Object.fromEntries(judged.map((c) => [cellName(c), c.accuracy])),
    },
  };
}
