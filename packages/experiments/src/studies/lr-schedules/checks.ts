import { declareChecks, judged } from '../../define/define-study.js';
import type { CheckResult, StudyRuns } from '../../study.js';
import { everyOfSome, finiteOrNull, valuesPerItem } from '../../study-kit/check-values.js';
import { measureExplosion } from '../../study-kit/explosion.js';
import { type LeastSquaresCurvature, leastSquaresCurvature } from './least-squares.js';
import { fmt, times } from './numbers.js';
import { type LrSchedulesSettings, linearArms, teacherOf } from './settings.js';

/** A loss above this multiple of its first value (or NaN/Inf) has diverged. */
const DIVERGED_FACTOR = 1e3;
/**
 * A run has converged when its final loss is within this relative distance of the least-squares
 * minimum (computed in float64 on the host; training runs in float32).
 */
const CONVERGED_TOLERANCE = 1e-3;

/**
 * What each check measures, its tolerance, and the settings that make it fail, with what the
 * fast run measured under them (lr-schedules.test.ts runs each).
 */
export const declared = declareChecks({
  'large-step-diverges': {
    claim:
      'A constant learning rate above 2/L (L the largest curvature) makes the loss and the gradient explode.',
    measures:
      'Gradient descent at 1.2 x 2/L on the linear layer: its final loss over its first, and its largest gradient norm over the first.',
    tolerance: 'Both above 1e3 (or NaN/Inf); measured 4.3e32 and 1.8e16 (fast).',
    counterfactuals: [
      {
        change: '`largeFactor: 0.9` (a "large" step below 2/L)',
        measured: 'final/first 0.033, the gradient norm never above its first.',
      },
    ],
  },
  'small-step-converges': {
    claim: 'A constant learning rate below 2/L converges to the minimum.',
    measures:
      'Gradient descent at 0.5 x 2/L: its final loss relative to the least-squares minimum (float64 on the host).',
    tolerance:
      '|final - minimum| / minimum <= 1e-3 (float32 training against a float64 minimum); measured -2.1e-6.',
    counterfactuals: [
      {
        change: '`smallFactor: 1.2` (the "small" step above 2/L)',
        measured: '1.3e34 relative to the minimum.',
      },
      {
        change: "`batchSize: 32` (mini-batches: each batch's curvature is larger)",
        measured: '1.51 relative to the minimum.',
      },
    ],
  },
  'decay-from-large-step-converges': {
    claim:
      'Each decaying schedule (step, exponential, cosine) that starts from the diverging rate still converges to the minimum, once its rate falls below 2/L.',
    measures:
      'The same distance to the minimum for each decaying schedule (step, exponential, cosine) started at 1.2 x 2/L.',
    tolerance: 'Within 1e-3 for every schedule; measured -2.1e-6 for all three.',
    counterfactuals: [
      {
        change: '`decays: [{ label: "no-decay", schedule: { kind: "constant" } }]`',
        measured: '1.3e34 relative to the minimum.',
      },
    ],
  },
  'threshold-is-2-over-L': {
    claim:
      'The divergence threshold of gradient descent is 2/L: just below it the run converges, just above it diverges.',
    measures: 'Gradient descent at 0.95 and at 1.05 x 2/L: converged, and diverged.',
    tolerance:
      'Within 1e-3 of the minimum below, final loss above 1e3 x the first above; measured -2.0e-6 and 3.1e7.',
    counterfactuals: [
      {
        change: '`batchSize: 32` (mini-batch SGD instead of gradient descent)',
        measured: 'at 0.95 x 2/L the loss grows 1.5e24-fold: the threshold is lower.',
      },
    ],
  },
  'deep-large-step-explodes': {
    claim:
      'In a deep ReLU network trained by SGD, a constant learning rate that is too large makes the loss and the gradient norm explode within a few steps, for every seed.',
    measures:
      'The 12-layer ReLU network at the constant rate 0.5: its largest training loss and gradient norm over their first values, per seed.',
    tolerance:
      'Both above 1e3 (or NaN/Inf) on every seed; measured 3.0e9 and NaN/Inf from step 2 (fast).',
    counterfactuals: [
      {
        change: '`deepLargeLr: 0.03, deepSmallLr: 0.5` (the rates swapped)',
        measured: 'loss x1.97, gradient norm x1.31 at the "large" rate 0.03.',
      },
    ],
  },
  'deep-small-step-converges': {
    claim:
      'In the same network, a constant rate more than ten times smaller converges for every seed: the loss falls well below its start and below what predicting the mean costs.',
    measures:
      "The network at the constant rate 0.03: NaN/Inf steps, and its final loss against its first and against the mean predictor's, per seed.",
    tolerance:
      "No NaN/Inf, final loss <= 0.5 x the first and <= 0.8 x the mean predictor's on every seed; measured 0.14 and 0.57, 0.063 and 0.60 (fast).",
    counterfactuals: [
      {
        change: '`deepSmallLr: 0.5, deepLargeLr: 0.03` (the rates swapped)',
        measured: '298 of 300 steps with a NaN/Inf loss or gradient.',
      },
    ],
  },
  'deep-decay-from-large-step-converges': {
    claim:
      'A schedule that warms up to the exploding rate and then decays (warm-up + cosine) trains the same network without blowing up and converges, for every seed.',
    measures:
      'The same for each schedule that peaks at the large rate 0.5 (warm-up over 100 steps, then cosine decay).',
    tolerance:
      'As for the small rate, for every schedule and seed; measured 0.098 and 0.39, 0.036 and 0.34 (fast).',
    counterfactuals: [
      {
        change: '`deepDecays: [{ label: "cosine-no-warmup", schedule: { kind: "cosine" } }]`',
        measured: '298 of 300 steps with a NaN/Inf loss or gradient.',
      },
    ],
  },
});

/**
 * The theory of the linear layer's quadratic loss, from the teacher data its runs train on (the
 * same seed and sizes): the critical rate 2/L, which the runs' rates are multiples of, and the
 * least-squares minimum the checks measure convergence against.
 */
export function linearLayerTheory(s: LrSchedulesSettings): LeastSquaresCurvature {
  const data = teacherOf(s, s.seed, s.samples);
  return leastSquaresCurvature(data.x, data.y, s.samples, s.inputSize, s.outputSize);
}

/** The linear layer's runs, trained. */
export const linearRuns = (s: LrSchedulesSettings, runs: StudyRuns) =>
  linearArms(s).map((arm) => {
    const run = runs.get(arm.label);
    // Inference on the whole set (it is smaller than the evaluation's 1,024 examples); NaN if
    // the weights overflowed.
    const finalLoss = run.result.evaluation?.loss ?? Number.NaN;
    return { ...arm, run, finalLoss, firstLoss: run.losses[0] ?? Number.NaN };
  });
export type LinearRun = ReturnType<typeof linearRuns>[number];

/** Final loss over first; Infinity when the run overflowed. */
const growthOf = (a: LinearRun): number =>
  Number.isFinite(a.finalLoss) ? a.finalLoss / a.firstLoss : Number.POSITIVE_INFINITY;
const diverged = (a: LinearRun): boolean => !(growthOf(a) <= DIVERGED_FACTOR);
export const gapOf = (a: LinearRun, minLoss: number): number =>
  Number.isFinite(a.finalLoss) ? (a.finalLoss - minLoss) / minLoss : Number.POSITIVE_INFINITY;

/** Runs in the order linearArms plans them: four constant rates, then the decays. */
type Ordered<T> = readonly [small: T, large: T, below: T, above: T, ...decays: T[]];

/** The checks of the linear layer. */
export function linearChecks(arms: readonly LinearRun[], c: LeastSquaresCurvature): CheckResult[] {
  const [small, large, below, above, ...decays] = arms as Ordered<LinearRun>;
  const converged = (a: LinearRun) => Math.abs(gapOf(a, c.minLoss)) <= CONVERGED_TOLERANCE;
  const describe = (a: LinearRun) => {
    const gap = gapOf(a, c.minLoss);
    const where = Number.isFinite(gap) ? `, ${fmt(gap)} relative to the minimum` : '';
    return `${a.label} (${fmt(a.factor)} x 2/L): first loss ${fmt(a.firstLoss)}, final ${fmt(a.finalLoss, 5)} (${times(growthOf(a))}${where})`;
  };
  const values = (list: readonly LinearRun[]) =>
    valuesPerItem(
      list,
      (a) => a.label,
      (a) => ({
        finalLoss: finiteOrNull(a.finalLoss),
        growth: finiteOrNull(growthOf(a)),
        gapToMinimum: finiteOrNull(gapOf(a, c.minLoss)),
      }),
    );
  const expectDiverged = `final loss > ${DIVERGED_FACTOR} x the first, or NaN/Inf`;
  const expectConverged = `final loss within ${CONVERGED_TOLERANCE} relative of the least-squares minimum ${fmt(c.minLoss, 5)}`;
  const norms = large.run.steps.map((d) => d.globalGradNorm);
  const { gradGrowth } = measureExplosion(large.run.losses, norms, DIVERGED_FACTOR);
  return [
    judged(declared, 'large-step-diverges', {
      pass: diverged(large) && gradGrowth > DIVERGED_FACTOR,
      measured: `${describe(large)}; largest gradient norm ${times(gradGrowth)}`,
      expected: `${expectDiverged}; gradient norm > ${DIVERGED_FACTOR} x its first, or NaN/Inf`,
      values: { ...values([large]), gradGrowth: finiteOrNull(gradGrowth) },
    }),
    judged(declared, 'small-step-converges', {
      pass: converged(small),
      measured: describe(small),
      expected: expectConverged,
      values: values([small]),
    }),
    judged(declared, 'decay-from-large-step-converges', {
      pass: everyOfSome(decays, converged),
      measured: decays.length > 0 ? decays.map(describe).join('; ') : 'no schedule',
      expected: `${expectConverged}, for every schedule`,
      values: values(decays),
    }),
    judged(declared, 'threshold-is-2-over-L', {
      pass: converged(below) && diverged(above),
      measured: `${describe(below)}; ${describe(above)}`,
      expected: `2/L = ${fmt(c.criticalLr, 4)}: at ${fmt(below.factor)} x it converges (${expectConverged}), at ${fmt(above.factor)} x it diverges (${expectDiverged})`,
      values: { criticalLr: c.criticalLr, minLoss: c.minLoss, ...values([below, above]) },
    }),
  ];
}
