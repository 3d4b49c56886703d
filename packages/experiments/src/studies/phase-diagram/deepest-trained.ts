import { type Sw2, sw2Label } from '../../study-kit/tanh-grid.js';

/** One trained cell of the phase diagram. */
export interface PhaseCell {
  readonly sw2: Sw2;
  /** sw2 as a number ("critical" resolved). */
  readonly sw2Value: number;
  readonly depth: number;
  /** chi_1 at this sw2 from mean-field theory: 1 on the critical line. */
  readonly chi1: number;
  /** 6 xi_c at this sw2 (Infinity on the critical line). */
  readonly trainableDepth: number;
  readonly accuracy: number;
  readonly trained: boolean;
}

/** One sw2 of the grid: its cells and the deepest of them that trained. */
export interface PhaseColumn {
  readonly sw2: Sw2;
  readonly sw2Value: number;
  readonly chi1: number;
  readonly trainableDepth: number;
  /** The deepest depth that trained; 0 when none did. */
  readonly deepestTrained: number;
  readonly label: string;
}

/**
 * Where a column lies: near the critical line when |chi_1 - 1| <= nearBand, far on the ordered
 * or chaotic side when |chi_1 - 1| >= farBand, between otherwise (shown, not judged). chi_1
 * rather than the distance in sw2: the transition is not symmetric in sw2 (chi_1 = 0.76 at
 * sw2 = 1, 1.34 at sw2 = 4, around 1.76).
 */
export type Side = 'near' | 'ordered' | 'chaotic' | 'between';

export function sideOf(chi1: number, nearBand: number, farBand: number): Side {
  const off = chi1 - 1;
  if (Math.abs(off) <= nearBand) return 'near';
  if (Math.abs(off) < farBand) return 'between';
  return off < 0 ? 'ordered' : 'chaotic';
}

export function columnsOf(cells: readonly PhaseCell[]): PhaseColumn[] {
  const bySw2 = new Map<number, PhaseCell[]>();
  for (const c of cells) bySw2.set(c.sw2Value, [...(bySw2.get(c.sw2Value) ?? []), c]);
  return [...bySw2.values()].map((column) => {
    const first = column[0] as PhaseCell;
    return {
      sw2: first.sw2,
      sw2Value: first.sw2Value,
      chi1: first.chi1,
      trainableDepth: first.trainableDepth,
      deepestTrained: Math.max(0, ...column.filter((c) => c.trained).map((c) => c.depth)),
      label: sw2Label(first.sw2, first.sw2Value),
    };
  });
}
