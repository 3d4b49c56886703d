import type { CheckResult } from '../../study.js';
import { formatPercent } from '../training-measures/format.js';
import { type Sw2, sw2Label } from '../training-measures/tanh-grid.js';

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

export interface SideCheckOptions {
  readonly nearBand: number;
  readonly farBand: number;
  readonly trainedAccuracy: number;
}

const CLAIMS = {
  ordered:
    'Near the critical line tanh networks train deeper than far in the ordered phase, where the gradient vanishes on the depth scale xi_c.',
  chaotic:
    'Near the critical line tanh networks train deeper than far in the chaotic phase, where the gradient explodes.',
} as const;

export const SIDE_CHECK_CLAIMS = {
  'critical-deeper-than-ordered': CLAIMS.ordered,
  'critical-deeper-than-chaotic': CLAIMS.chaotic,
} as const;

/**
 * The deepest trained depth at the column nearest the critical line must exceed the deepest
 * trained depth of every column far on `side`. Strictly: with no training at all every column
 * reaches depth 0, and "as deep" would pass. A grid without a near-critical column or without a
 * far column on that side does not test the claim, and fails.
 */
export function deeperThanCheck(
  side: 'ordered' | 'chaotic',
  columns: readonly PhaseColumn[],
  o: SideCheckOptions,
): CheckResult {
  const nearest = [...columns].sort((a, b) => Math.abs(a.chi1 - 1) - Math.abs(b.chi1 - 1))[0];
  const near =
    nearest && sideOf(nearest.chi1, o.nearBand, o.farBand) === 'near' ? nearest : undefined;
  const far = columns.filter((c) => sideOf(c.chi1, o.nearBand, o.farBand) === side);
  const farDeepest = Math.max(0, ...far.map((c) => c.deepestTrained));
  const pass = near !== undefined && far.length > 0 && near.deepestTrained > farDeepest;
  const show = (c: PhaseColumn) =>
    `sw2 ${c.label} (chi_1 ${c.chi1.toFixed(3)}): ${c.deepestTrained > 0 ? `depth ${c.deepestTrained}` : 'no depth'}`;
  const untested = [
    near ? null : `no sw2 of the grid has |chi_1 - 1| <= ${o.nearBand}`,
    far.length > 0 ? null : `no sw2 of the grid is ${side} with |chi_1 - 1| >= ${o.farBand}`,
  ].filter((x) => x !== null);
  return {
    id: `critical-deeper-than-${side}`,
    claim: CLAIMS[side],
    pass,
    measured:
      untested.length > 0
        ? `${untested.join('; ')}: not tested (deepest trained: ${columns.map(show).join(', ')})`
        : `deepest trained (accuracy >= ${formatPercent(o.trainedAccuracy)}) near the line: ${show(near as PhaseColumn)}; far ${side}: ${far.map(show).join(', ')}`,
    expected: `the sw2 nearest the critical line (|chi_1 - 1| <= ${o.nearBand}) trains to a greater depth than every sw2 far in the ${side} phase (|chi_1 - 1| >= ${o.farBand}), and the grid has both`,
    values: {
      nearSw2: near?.sw2Value ?? null,
      nearChi1: near?.chi1 ?? null,
      nearDeepest: near?.deepestTrained ?? null,
      farColumns: far.length,
      farDeepest: far.length > 0 ? farDeepest : null,
      ...Object.fromEntries(far.map((c) => [`deepest at sw2=${c.label}`, c.deepestTrained])),
    },
  };
}
