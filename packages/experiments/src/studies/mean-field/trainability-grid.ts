import { GradlabError } from '@gradlab/core';
import type { Sw2 } from '../../study-kit/tanh-grid.js';

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
