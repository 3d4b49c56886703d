import { settingRules } from '../../study-kit/setting-rules.js';
import { PHASE_TANH_GRIDS, type PhaseGrid } from './phase-grid.js';

export interface PhaseDiagramSettings {
  /** The depth x sw2 grid: at full scale, the grid of `gradlab sweep phase-tanh --fast`. */
  readonly grid: PhaseGrid;
  /** A cell has trained when its accuracy reaches this (chance: 10%). */
  readonly trainedAccuracy: number;
  /** A sw2 with |chi_1 - 1| at most this is near the critical line. */
  readonly nearBand: number;
  /** ... and one with |chi_1 - 1| at least this is far in its phase. */
  readonly farBand: number;
}

const judgement = { trainedAccuracy: 0.5, nearBand: 0.01, farBand: 0.15 } as const;

export const settings: {
  readonly full: PhaseDiagramSettings;
  readonly fast: PhaseDiagramSettings;
} = {
  full: { grid: PHASE_TANH_GRIDS.fast, ...judgement },
  // CI: three sw2 at two depths. 300 steps need SGD's larger rate (0.05), at which depth 40
  // trains on the critical line and not at sw2 = 1 or 4.
  fast: {
    grid: {
      ...PHASE_TANH_GRIDS.fast,
      sw2: [1, 'critical', 4],
      depths: [10, 40],
      steps: 300,
      lr: 0.05,
    },
    ...judgement,
  },
};

export const scaleNote =
  'The full scale judges the grid of `gradlab sweep phase-tanh --fast` (the same definition, phase-grid.ts): width 64, sw2 in {1, 1.5, critical 1.761, 2.25, 3, 4} x depths {10, 25, 45, 60, 80, 100}, 1000 SGD steps at rate 0.01. Schoenholz et al. train wider networks up to depth 300 for many more steps, so their trainable region reaches 6 xi_c; in so few steps it stops short of the line on the ordered side and is cut further by the exploding gradient on the chaotic side, so the checks judge where it reaches deepest, not its edge. ' +
  'Measured at full scale (blas, seed 0): the deepest trained depth is 25, 80, 60, 60, 45 and 25 at sw2 = 1, 1.5, 1.761, 2.25, 3 and 4: a peak around the line, whose top (sw2 = 1.5 at depth 80, one seed) lies on its ordered shoulder; the checks compare the line with the far sides, not with its neighbours. ' +
  'The fast scale (CI) keeps sw2 1, critical and 4 at depths 10 and 40 for 300 steps at rate 0.05: depth 40 is past 6 xi_c = 21.8 at sw2 = 1 and near 6 xi_c = 41.9 at sw2 = 4, where the exploding gradient already stops training, and only the critical network trains there.';

export function checkSettings(s: PhaseDiagramSettings): void {
  const { fail } = settingRules('phase-diagram', s);
  if (s.grid.sw2.length === 0 || s.grid.depths.length === 0) {
    fail('grid', [s.grid.sw2, s.grid.depths], 'the grid needs at least one sw2 and one depth');
  }
  if (!(s.nearBand >= 0 && s.farBand > s.nearBand)) {
    fail('nearBand/farBand', [s.nearBand, s.farBand], 'they must satisfy 0 <= nearBand < farBand');
  }
}
