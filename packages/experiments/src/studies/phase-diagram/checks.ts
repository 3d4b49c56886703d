import { declareChecks, judged } from '../../define/define-study.js';
import type { CheckResult, StudyRuns } from '../../study.js';
import { formatPercent } from '../../study-kit/format.js';
import { trainedTanhCells } from '../../study-kit/tanh-grid.js';
import { columnsOf, type PhaseCell, type PhaseColumn, sideOf } from './deepest-trained.js';
import type { PhaseDiagramSettings } from './settings.js';

/** What makes both checks fail, either side: no training, or no sw2 near the critical line. */
const COUNTERFACTUALS = [
  {
    change: '`grid.steps: 1` (no training)',
    measured: 'no depth trains anywhere: 0 near the line against 0.',
  },
  {
    change:
      'a grid without a near-critical sw2 (`grid.sw2: [1, 1.5, 4]`: 1.5, the nearest, has chi_1 = 0.939)',
    measured: 'no sw2 with |chi_1 - 1| <= 0.01: not tested.',
  },
];

/**
 * What each check claims and measures, its tolerance, and the settings that make it fail, with
 * what the fast run measured under them (phase-diagram.test.ts runs each).
 */
export const declared = declareChecks({
  'critical-deeper-than-ordered': {
    claim:
      'Near the critical line tanh networks train deeper than far in the ordered phase, where the gradient vanishes on the depth scale xi_c.',
    measures:
      'Per sw2, the deepest depth of the grid whose network reaches the trained accuracy after SGD on MNIST (inference mode, 1,024 digits); the sw2 nearest the critical line against the sw2 far on the ordered side.',
    tolerance:
      'Strictly deeper, judged on the grid (a depth of the grid, not an interpolated one); near the line means |chi_1 - 1| <= 0.01, far means |chi_1 - 1| >= 0.15 (sw2 = 1: chi_1 = 0.759); trained means accuracy >= 50% (chance 10%). Measured: depth 40 near the line against 10 at sw2 = 1 (fast); 60 against 25 (full, blas).',
    counterfactuals: COUNTERFACTUALS,
  },
  'critical-deeper-than-chaotic': {
    claim:
      'Near the critical line tanh networks train deeper than far in the chaotic phase, where the gradient explodes.',
    measures:
      'The same deepest trained depth, near the critical line against the sw2 far on the chaotic side (sw2 = 3, 4: chi_1 = 1.21, 1.34).',
    tolerance:
      'As for the ordered side: strictly deeper on the grid. Measured: depth 40 near the line against 10 at sw2 = 4 (fast); 60 against 45 at sw2 = 3 and 25 at sw2 = 4 (full, blas).',
    counterfactuals: COUNTERFACTUALS,
  },
});

/** The grid's cells once trained, and its columns: one per sw2, with its deepest trained depth. */
export function measure(s: PhaseDiagramSettings, runs: StudyRuns) {
  const cells: PhaseCell[] = trainedTanhCells(s.grid, runs, '', s.trainedAccuracy);
  return { cells, columns: columnsOf(cells) };
}

export type Measurements = ReturnType<typeof measure>;

/**
 * The deepest trained depth at the column nearest the critical line must exceed the deepest
 * trained depth of every column far on `side`. Strictly: with no training at all every column
 * reaches depth 0, and "as deep" would pass. A grid without a near-critical column or without a
 * far column on that side does not test the claim, and fails.
 */
export function deeperThanCheck(
  side: 'ordered' | 'chaotic',
  columns: readonly PhaseColumn[],
  o: Pick<PhaseDiagramSettings, 'nearBand' | 'farBand' | 'trainedAccuracy'>,
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
  return judged(declared, `critical-deeper-than-${side}`, {
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
  });
}

export function checks(s: PhaseDiagramSettings, { columns }: Measurements): CheckResult[] {
  return [deeperThanCheck('ordered', columns, s), deeperThanCheck('chaotic', columns, s)];
}
