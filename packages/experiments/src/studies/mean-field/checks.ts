import { type MeanFieldPoint, meanField, type Phase } from '@gradlab/theory';
import { declareChecks, judged } from '../../define/define-study.js';
import { type CheckResult, relativeDifference, type StudyRuns } from '../../study.js';
import { formatNumber, formatPercent } from '../../study-kit/format.js';
import { firstStep, signalNorms } from '../../study-kit/runs.js';
import { geometricMean } from '../../study-kit/series.js';
import { resolveSw2, sw2Label, trainedTanhCells } from '../../study-kit/tanh-grid.js';
import { perLayerSquaredRatio, phaseOfFactor } from './chi-measure.js';
import { type ChiPoint, chiLabel, GRID_LABEL, type MeanFieldSettings } from './settings.js';
import { type GridCell, zoneOf } from './trainability-grid.js';

/**
 * What each check claims and measures, its tolerance, and the settings that make it fail, with
 * what the fast run measured under them (mean-field.test.ts runs each).
 */
export const declared = declareChecks({
  'chi-ordered': {
    claim:
      'In the ordered phase, the backward signal of a wide random tanh network shrinks by chi_1 < 1 per layer: the measured factor agrees with chi_1 and lies below 1 by more than the tolerance.',
    measures:
      'The per-layer factor of ||dL/dh||^2 of random tanh networks at sw2 = 1, sb2 = 0.05 (width 256; geometric mean over the layers above the first 4 and over the seeds), and its phase.',
    tolerance:
      '`tolerance` of chi_1 = 0.759 (3.5% fast, 2.5% full: 3.5 standard deviations of the mean over the seeds), and below 1 - tolerance by both the measurement and the theory; measured 0.751 (fast).',
    counterfactuals: [
      {
        change: 'the ordered point judged against the critical line (`theorySw2: "critical"`)',
        measured: '0.736, 26.4% from chi_1 = 1.',
      },
      {
        change: 'a critical network named ordered (`sw2: "critical"`)',
        measured: '0.990: within 1% of its own chi_1, but critical.',
      },
    ],
  },
  'chi-critical': {
    claim:
      'On the critical line, the backward signal keeps its size from layer to layer: the measured factor agrees with chi_1 = 1.',
    measures: 'The same factor on the critical line sw2 = 1.761, against chi_1 = 1.',
    tolerance:
      'Within `tolerance` of 1 by both the measurement and the theory; measured 0.990 (fast).',
    counterfactuals: [
      {
        change: 'a network at sw2 = 1.5 judged against the critical line (a near miss)',
        measured: '0.929, 7.1% from chi_1 = 1: ordered.',
      },
      {
        change: 'the critical point judged against sw2 = 3 (`theorySw2: 3`)',
        measured: '0.980, 18.9% from chi_1 = 1.209.',
      },
      {
        change: 'a network at sw2 = 1.5 named critical, judged against its own chi_1 = 0.939',
        measured: '0.929, 1.0% from its chi_1, but ordered.',
      },
    ],
  },
  'chi-chaotic': {
    claim:
      'In the chaotic phase, the backward signal grows by chi_1 > 1 per layer: the measured factor agrees with chi_1 and lies above 1 by more than the tolerance.',
    measures: 'The same factor at sw2 = 3, against chi_1 = 1.209.',
    tolerance:
      'Within `tolerance` of chi_1, and above 1 + tolerance by both the measurement and the theory; measured 1.197 (fast).',
    counterfactuals: [
      {
        change: 'the chaotic network judged against sw2 = 1 (`theorySw2: 1`)',
        measured: '1.197, 57.7% from chi_1 = 0.759, whose theory is ordered.',
      },
      {
        change: 'an ordered network named chaotic (`sw2: 1`)',
        measured: '0.751: within 1.1% of its own chi_1, but ordered.',
      },
    ],
  },
  'grid-inside-trains': {
    claim: 'Networks well inside the trainable depth 6 xi_c train.',
    measures:
      'The accuracy after training (SGD, inference mode on 1,024 digits) of every grid cell with depth <= 0.5 x 6 xi_c.',
    tolerance:
      'At least 80% of them reach 50% (chance 10%), and at least one such cell; measured 3 of 3 (83%, 91%, 86%, fast).',
    counterfactuals: [
      {
        change: '`gridSteps: 1` (no training)',
        measured: '0 of 3 (14.0%, 17.1%, 9.5%).',
      },
      {
        change:
          '`insideBelow: 5, outsideAbove: 20` (a line ten times too deep: sw2 0.6 at depth 24 counts as inside)',
        measured: '0 of 1 (11.1%).',
      },
    ],
  },
  'grid-outside-fails': {
    claim: 'Networks well beyond the trainable depth 6 xi_c do not train.',
    measures: 'The accuracy of every grid cell with depth >= 2 x 6 xi_c.',
    tolerance:
      'At least 80% of them stay below 50%, and at least one such cell; measured 1 of 1 (11.1%, fast).',
    counterfactuals: [
      {
        change: '`residualEvery: 1` (identity skips, a network the theory does not describe)',
        measured: 'sw2 0.6 at depth 24 reaches 89.5%.',
      },
      {
        change: 'a grid of one cell inside the line (`gridSw2: ["critical"], gridDepths: [4]`)',
        measured: 'no cell beyond the line: not tested.',
      },
    ],
  },
});

/** Measured chi of one point, over its seeds. */
export interface ChiMeasurement {
  readonly point: ChiPoint;
  readonly sw2: number;
  /** The theory at the point it is judged against (the network's own unless theorySw2). */
  readonly theory: MeanFieldPoint;
  /** Per seed: the geometric-mean per-layer factor of ||dL/dh||^2. */
  readonly perSeed: readonly number[];
  readonly chi: number;
  /** Per hidden layer, input side first: ||dL/dh||^2 over the top hidden layer's, geometric mean over seeds. */
  readonly profile: readonly number[];
}

/** A point's factor and profile, from the backward signal of its random networks at step 1. */
function chiMeasurement(s: MeanFieldSettings, point: ChiPoint, runs: StudyRuns): ChiMeasurement {
  const theorySw2 = resolveSw2(point.theorySw2 ?? point.sw2, s.sb2);
  const options = { criticalTolerance: s.tolerance };
  const profiles = s.seeds.map((seed) => {
    const label = chiLabel(point, seed);
    return signalNorms(firstStep(runs.get(label)), label);
  });
  const top = (norms: readonly number[]) => norms.length - 1;
  const perSeed = profiles.map((norms) => perLayerSquaredRatio(norms, s.skipLayers, top(norms)));
  const relative = profiles.map((norms) =>
    norms.map((n) => (n / (norms[top(norms)] as number)) ** 2),
  );
  return {
    point,
    sw2: resolveSw2(point.sw2, s.sb2),
    theory: meanField('tanh', { sw2: theorySw2, sb2: s.sb2 }, options),
    perSeed,
    chi: geometricMean(perSeed),
    profile: (relative[0] ?? []).map((_, l) => geometricMean(relative.map((r) => r[l] as number))),
  };
}

/** What the checks and figures read of the finished runs: each chi point, and the grid's cells. */
export function measure(s: MeanFieldSettings, runs: StudyRuns) {
  const grid = { sw2: s.gridSw2, depths: s.gridDepths, sb2: s.sb2 };
  const cells = trainedTanhCells(grid, runs, GRID_LABEL, s.trainedAccuracy).map(
    (c): GridCell => ({
      ...c,
      zone: zoneOf(c.depth, c.trainableDepth, s.insideBelow, s.outsideAbove),
    }),
  );
  return { chi: s.points.map((point) => chiMeasurement(s, point, runs)), cells };
}

export type Measurements = ReturnType<typeof measure>;

/** Per-layer factors differ in the second decimal between phases and in the third from theory. */
export const factor = (x: number): string => x.toFixed(3);

function judgedAt(m: ChiMeasurement): string {
  const own = m.point.theorySw2 === undefined || m.theory.sw2 === m.sw2;
  return own
    ? `sw2 = ${formatNumber(m.sw2)}, sb2 = ${formatNumber(m.theory.sb2)}`
    : `sw2 = ${formatNumber(m.theory.sw2)} (a network at sw2 = ${formatNumber(m.sw2)} judged against another point's theory), sb2 = ${formatNumber(m.theory.sb2)}`;
}

/** What a per-layer factor must be to show a phase, with the study's band around 1. */
function phaseCondition(phase: Phase, band: number): string {
  if (phase === 'critical') return `within ${formatPercent(band)} of 1`;
  return phase === 'ordered' ? `below ${factor(1 - band)}` : `above ${factor(1 + band)}`;
}

/**
 * A point's check: the measured factor agrees with chi_1 at the point it is judged against, and
 * the point is in the phase it names, by the theory and by the measurement (critical: within the
 * tolerance of 1). The second half is what makes "ordered" and "chaotic" claims about the phases
 * rather than about any sw2: a point named "critical" drawn at sw2 = 1.5 agrees with its own
 * chi_1 = 0.94 but is ordered, and fails.
 */
function chiCheck(m: ChiMeasurement, s: MeanFieldSettings): CheckResult {
  const rel = relativeDifference(m.chi, m.theory.chi1);
  const measuredPhase = phaseOfFactor(m.chi, s.tolerance);
  const named = m.point.name;
  const inPhase = measuredPhase === named && m.theory.phase === named;
  const layers = s.chiDepth - 2 - s.skipLayers;
  return judged(declared, `chi-${named}`, {
    pass: rel <= s.tolerance && inPhase,
    measured: `${factor(m.chi)} per layer (seeds: ${m.perSeed.map(factor).join(', ')}), the geometric mean of ||dL/dh||^2 ratios over ${layers} layers of width ${s.chiWidth}; ${formatPercent(rel)} from chi_1; ${measuredPhase} (theory: ${m.theory.phase})`,
    expected: `chi_1 = ${factor(m.theory.chi1)} +/- ${formatPercent(s.tolerance)} at ${judgedAt(m)} (q* = ${formatNumber(m.theory.qStar)}), and ${named} by both the measurement and the theory (${phaseCondition(named, s.tolerance)})`,
    values: {
      measured: m.chi,
      chi1: m.theory.chi1,
      relativeDifference: rel,
      tolerance: s.tolerance,
      inPhase: inPhase ? 1 : 0,
      sw2: m.sw2,
      theorySw2: m.theory.sw2,
      sb2: s.sb2,
      qStar: m.theory.qStar,
      ...Object.fromEntries(m.perSeed.map((v, i) => [`seed${s.seeds[i]}`, v])),
    },
  });
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
  const inside = zone === 'inside';
  const judgedCells = cells.filter((c) => c.zone === zone);
  const agreeing = judgedCells.filter((c) => (inside ? c.trained : !c.trained));
  const disagreeing = judgedCells.filter((c) => !agreeing.includes(c));
  const fraction = judgedCells.length > 0 ? agreeing.length / judgedCells.length : 0;
  const bound = inside
    ? `depth <= ${options.insideBelow} x 6 xi_c`
    : `depth >= ${options.outsideAbove} x 6 xi_c`;
  const accuracy = formatPercent(options.trainedAccuracy);
  const verb = inside ? `reach accuracy >= ${accuracy}` : `stay below accuracy ${accuracy}`;
  const not = disagreeing.map((c) => `${cellName(c)} ${formatPercent(c.accuracy)}`).join(', ');
  return judged(declared, inside ? 'grid-inside-trains' : 'grid-outside-fails', {
    pass: judgedCells.length > 0 && fraction >= options.minAgreement,
    measured:
      judgedCells.length === 0
        ? `no cell of the grid has ${bound}: this side of the line is not tested`
        : `${agreeing.length} of ${judgedCells.length} cells with ${bound} ${verb} (${formatPercent(fraction)})${disagreeing.length > 0 ? `; not: ${not}` : ''}; accuracies ${judgedCells.map((c) => formatNumber(c.accuracy)).join(', ')}`,
    expected: `at least ${formatPercent(options.minAgreement)} of the cells with ${bound} ${verb} (chance is 10%), and at least one such cell`,
    values: {
      cells: judgedCells.length,
      agreeing: agreeing.length,
      fraction,
      minAgreement: options.minAgreement,
      trainedAccuracy: options.trainedAccuracy,
      ...Object.fromEntries(judgedCells.map((c) => [cellName(c), c.accuracy])),
    },
  });
}

export function checks(s: MeanFieldSettings, { chi, cells }: Measurements): CheckResult[] {
  return [
    ...chi.map((m) => chiCheck(m, s)),
    zoneCheck('inside', cells, s),
    zoneCheck('outside', cells, s),
  ];
}
