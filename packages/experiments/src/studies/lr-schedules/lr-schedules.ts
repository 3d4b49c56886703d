import { teacherData } from '@gradlab/core';
import type {
  CheckResult,
  DeclaredCheck,
  FigurePoint,
  Study,
  StudyContext,
  StudyFigure,
  StudyTable,
  TrainedRun,
} from '../../study.js';
import { measureExplosion } from '../training-measures/explosion.js';
import { DEEP_CLAIMS, type DeepNetworkSettings, runDeepNetwork } from './deep-network.js';
import { type LeastSquaresCurvature, leastSquaresCurvature } from './least-squares.js';
import { finiteOrNull, fmt, times } from './numbers.js';
import type { DecaySchedule, ScheduleSpecInput } from './schedule.js';

export type { DecaySchedule, ScheduleSpecInput } from './schedule.js';

/**
 * Two parts: gradient descent on one linear layer, where the threshold 2/L is exact, and SGD on
 * a deep ReLU network (the `deep*` settings), where too large a step blows the gradient up.
 */
export interface LrSchedulesSettings extends DeepNetworkSettings {
  /** Teacher regression of both parts: inputs and outputs. */
  readonly inputSize: number;
  readonly outputSize: number;
  /** Examples of the quadratic part (every step sees all of them). */
  readonly samples: number;
  /** Examples per step: the whole set is gradient descent, where the 2/L law is exact. */
  readonly batchSize: number;
  readonly steps: number;
  /** Seed of the quadratic part (the deep part runs deepSeeds). */
  readonly seed: number;
  /** Learning rates as multiples of the critical rate 2/L. */
  readonly smallFactor: number;
  readonly largeFactor: number;
  /** The threshold is probed at (1 - margin) and (1 + margin) times 2/L. */
  readonly thresholdMargin: number;
  /** Schedules that start from the large rate and decay. */
  readonly decays: readonly DecaySchedule[];
}

/** A loss above this multiple of its first value (or NaN/Inf) has diverged. */
const DIVERGED_FACTOR = 1e3;
/**
 * A run has converged when its final loss is within this relative distance of the least-squares
 * minimum (computed in float64 on the host; training runs in float32).
 */
const CONVERGED_TOLERANCE = 1e-3;

const CLAIMS = {
  large: {
    id: 'large-step-diverges',
    claim:
      'A constant learning rate above 2/L (L the largest curvature) makes the loss and the gradient explode.',
  },
  small: {
    id: 'small-step-converges',
    claim: 'A constant learning rate below 2/L converges to the minimum.',
  },
  decay: {
    id: 'decay-from-large-step-converges',
    claim:
      'Each decaying schedule (step, exponential, cosine) that starts from the diverging rate still converges to the minimum, once its rate falls below 2/L.',
  },
  threshold: {
    id: 'threshold-is-2-over-L',
    claim:
      'The divergence threshold of gradient descent is 2/L: just below it the run converges, just above it diverges.',
  },
} as const;

interface Arm {
  readonly label: string;
  /** Initial learning rate over 2/L. */
  readonly factor: number;
  readonly schedule: ScheduleSpecInput;
  readonly run: TrainedRun;
  /** Loss of the trained weights on the whole set (NaN if they overflowed). */
  readonly finalLoss: number;
  readonly firstLoss: number;
}

/** Final loss over first; Infinity when the run overflowed. */
const growthOf = (a: Arm): number =>
  Number.isFinite(a.finalLoss) ? a.finalLoss / a.firstLoss : Number.POSITIVE_INFINITY;
const diverged = (a: Arm): boolean => !(growthOf(a) <= DIVERGED_FACTOR);
const gapOf = (a: Arm, minLoss: number): number =>
  Number.isFinite(a.finalLoss) ? (a.finalLoss - minLoss) / minLoss : Number.POSITIVE_INFINITY;
const converged = (a: Arm, minLoss: number): boolean =>
  Math.abs(gapOf(a, minLoss)) <= CONVERGED_TOLERANCE;

function describe(a: Arm, minLoss: number): string {
  const gap = gapOf(a, minLoss);
  const where = Number.isFinite(gap) ? `, ${fmt(gap)} relative to the minimum` : '';
  return `${a.label} (${fmt(a.factor)} x 2/L): first loss ${fmt(a.firstLoss)}, final ${fmt(a.finalLoss, 5)} (${times(growthOf(a))}${where})`;
}

function armValues(arms: readonly Arm[], minLoss: number): Record<string, number | null> {
  return Object.fromEntries(
    arms.flatMap((a) => [
      [`${a.label}.finalLoss`, finiteOrNull(a.finalLoss)],
      [`${a.label}.growth`, finiteOrNull(growthOf(a))],
      [`${a.label}.gapToMinimum`, finiteOrNull(gapOf(a, minLoss))],
    ]),
  );
}

const expectDiverged = `final loss > ${DIVERGED_FACTOR} x the first, or NaN/Inf`;
const expectConverged = (c: LeastSquaresCurvature) =>
  `final loss within ${CONVERGED_TOLERANCE} relative of the least-squares minimum ${fmt(c.minLoss, 5)}`;

function largeCheck(a: Arm, c: LeastSquaresCurvature): CheckResult {
  const { gradGrowth } = measureExplosion(
    a.run.losses,
    a.run.steps.map((d) => d.globalGradNorm),
    DIVERGED_FACTOR,
  );
  return {
    ...CLAIMS.large,
    pass: diverged(a) && gradGrowth > DIVERGED_FACTOR,
    measured: `${describe(a, c.minLoss)}; largest gradient norm ${times(gradGrowth)}`,
    expected: `${expectDiverged}; gradient norm > ${DIVERGED_FACTOR} x its first, or NaN/Inf`,
    values: { ...armValues([a], c.minLoss), gradGrowth: finiteOrNull(gradGrowth) },
  };
}

function smallCheck(a: Arm, c: LeastSquaresCurvature): CheckResult {
  return {
    ...CLAIMS.small,
    pass: converged(a, c.minLoss),
    measured: describe(a, c.minLoss),
    expected: expectConverged(c),
    values: armValues([a], c.minLoss),
  };
}

function decayCheck(arms: readonly Arm[], c: LeastSquaresCurvature): CheckResult {
  return {
    ...CLAIMS.decay,
    pass: arms.length > 0 && arms.every((a) => converged(a, c.minLoss)),
    measured: arms.length > 0 ? arms.map((a) => describe(a, c.minLoss)).join('; ') : 'no schedule',
    expected: `${expectConverged(c)}, for every schedule`,
    values: armValues(arms, c.minLoss),
  };
}

function thresholdCheck(below: Arm, above: Arm, c: LeastSquaresCurvature): CheckResult {
  return {
    ...CLAIMS.threshold,
    pass: converged(below, c.minLoss) && diverged(above),
    measured: `${describe(below, c.minLoss)}; ${describe(above, c.minLoss)}`,
    expected: `2/L = ${fmt(c.criticalLr, 4)}: at ${fmt(below.factor)} x it converges (${expectConverged(c)}), at ${fmt(above.factor)} x it diverges (${expectDiverged})`,
    values: {
      criticalLr: c.criticalLr,
      minLoss: c.minLoss,
      ...armValues([below, above], c.minLoss),
    },
  };
}

const positive = (y: number): boolean => Number.isFinite(y) && y > 0;

function figures(arms: readonly Arm[], c: LeastSquaresCurvature, s: LrSchedulesSettings) {
  const loss: FigurePoint[] = arms.flatMap((a) =>
    a.run.losses.flatMap((y, i) =>
      positive(y - c.minLoss) ? [{ series: a.label, x: i + 1, y: y - c.minLoss }] : [],
    ),
  );
  const lr: FigurePoint[] = arms.flatMap((a) =>
    a.run.steps.flatMap((d) => {
      const rate = d.telemetry.lr;
      return rate !== undefined && positive(rate)
        ? [{ series: a.label, x: d.step, y: rate / c.criticalLr }]
        : [];
    }),
  );
  const grad: FigurePoint[] = arms.flatMap((a) =>
    a.run.steps.flatMap((d) =>
      positive(d.globalGradNorm) ? [{ series: a.label, x: d.step, y: d.globalGradNorm }] : [],
    ),
  );
  const out: StudyFigure[] = [
    {
      id: 'loss-curves',
      title: 'Linear layer: loss above the least-squares minimum, per step',
      kind: 'line',
      x: { title: 'step' },
      y: { title: 'loss - minimum', log: true },
      points: loss,
      caption: `Gradient descent on a ${s.inputSize}-input linear regression, whole set per step. Above 2/L the loss grows geometrically (values past float32's range are not drawn); the decaying schedules climb at first, then fall to the minimum.`,
    },
    {
      id: 'learning-rate',
      title: 'Linear layer: learning rate over the critical rate 2/L',
      kind: 'line',
      x: { title: 'step' },
      y: { title: 'lr / (2/L)', log: true },
      points: lr,
      caption: 'Below 1 a step shrinks the error along every direction of the quadratic.',
    },
    {
      id: 'gradient-norm',
      title: 'Linear layer: gradient norm per step',
      kind: 'line',
      x: { title: 'step' },
      y: { title: '||g||', log: true },
      points: grad,
      caption: 'Above the critical rate the gradient explodes with the loss.',
    },
  ];
  return out;
}

function table(arms: readonly Arm[], c: LeastSquaresCurvature): StudyTable {
  return {
    id: 'arms',
    title: `Runs (2/L = ${fmt(c.criticalLr, 4)}, least-squares minimum ${fmt(c.minLoss, 5)})`,
    columns: [
      'run',
      'initial lr / (2/L)',
      'schedule',
      'first loss',
      'final loss',
      '(final - min) / min',
    ],
    rows: arms.map((a) => [
      a.label,
      a.factor,
      a.schedule.kind,
      finiteOrNull(a.firstLoss),
      finiteOrNull(a.finalLoss),
      finiteOrNull(gapOf(a, c.minLoss)),
    ]),
  };
}

/**
 * What each check measures, its tolerance, and the settings that make it fail, with what the
 * fast run measured under them (lr-schedules.test.ts runs each).
 */
const COUNTERFACTUALS: Record<string, Omit<DeclaredCheck, 'id' | 'claim'>> = {
  [CLAIMS.large.id]: {
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
  [CLAIMS.small.id]: {
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
  [CLAIMS.decay.id]: {
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
  [CLAIMS.threshold.id]: {
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
  [DEEP_CLAIMS.large.id]: {
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
  [DEEP_CLAIMS.small.id]: {
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
  [DEEP_CLAIMS.decay.id]: {
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
};

/** Share of the study's progress bar the quadratic part takes: its runs are tiny. */
const QUADRATIC_SHARE = 0.15;

async function runQuadratic(ctx: StudyContext, s: LrSchedulesSettings) {
  const data = teacherData(s.seed, {
    task: 'regression',
    inputSize: s.inputSize,
    outputSize: s.outputSize,
    samples: s.samples,
    noise: 0,
  });
  const theory = leastSquaresCurvature(data.x, data.y, s.samples, s.inputSize, s.outputSize);
  const plan: { label: string; factor: number; schedule: ScheduleSpecInput }[] = [
    { label: 'small-constant', factor: s.smallFactor, schedule: { kind: 'constant' } },
    { label: 'large-constant', factor: s.largeFactor, schedule: { kind: 'constant' } },
    { label: 'just-below', factor: 1 - s.thresholdMargin, schedule: { kind: 'constant' } },
    { label: 'just-above', factor: 1 + s.thresholdMargin, schedule: { kind: 'constant' } },
    ...s.decays.map((d) => ({
      label: `large-${d.label}`,
      factor: s.largeFactor,
      schedule: d.schedule,
    })),
  ];
  const arms: Arm[] = [];
  for (const [i, p] of plan.entries()) {
    ctx.signal?.throwIfAborted();
    ctx.progress(`${p.label}: lr ${fmt(p.factor)} x 2/L`, (QUADRATIC_SHARE * i) / plan.length);
    const run = await ctx.train(p.label, {
      gradlab: 1,
      name: `lr-schedules-${p.label}`,
      seed: s.seed,
      data: {
        kind: 'teacher',
        task: 'regression',
        inputSize: s.inputSize,
        outputSize: s.outputSize,
        samples: s.samples,
      },
      // One dense layer: the loss is exactly quadratic in its weights.
      model: { kind: 'mlp', depth: 1, width: 1, init: 'xavier-normal' },
      training: {
        steps: s.steps,
        batchSize: s.batchSize,
        optimizer: { kind: 'sgd', lr: p.factor * theory.criticalLr },
        schedule: p.schedule,
        loss: 'mse',
      },
      diagnostics: { every: s.steps },
    });
    arms.push({
      ...p,
      run,
      // Inference on the whole set (it is smaller than the evaluation's 1,024 examples).
      finalLoss: run.result.evaluation?.loss ?? Number.NaN,
      firstLoss: run.losses[0] ?? Number.NaN,
    });
  }
  const [small, large, below, above, ...decays] = arms as [Arm, Arm, Arm, Arm, ...Arm[]];
  return {
    checks: [
      largeCheck(large, theory),
      smallCheck(small, theory),
      decayCheck(decays, theory),
      thresholdCheck(below, above, theory),
    ],
    figures: figures(arms, theory, s),
    tables: [table(arms, theory)],
  };
}

async function run(ctx: StudyContext, s: LrSchedulesSettings) {
  const quadratic = await runQuadratic(ctx, s);
  const deep = await runDeepNetwork(ctx, s, (message, fraction) =>
    ctx.progress(message, QUADRATIC_SHARE + (1 - QUADRATIC_SHARE) * fraction),
  );
  ctx.progress('done', 1);
  return {
    checks: [...quadratic.checks, ...deep.checks],
    figures: [...quadratic.figures, ...deep.figures],
    tables: [...quadratic.tables, ...deep.tables],
  };
}

const full: LrSchedulesSettings = {
  inputSize: 32,
  outputSize: 4,
  samples: 512,
  batchSize: 512,
  steps: 200,
  seed: 0,
  smallFactor: 0.5,
  largeFactor: 1.2,
  thresholdMargin: 0.05,
  decays: [
    { label: 'step', schedule: { kind: 'step', every: 20, factor: 0.5 } },
    { label: 'exponential', schedule: { kind: 'exponential', rate: 0.97 } },
    { label: 'cosine', schedule: { kind: 'cosine' } },
  ],
  deepDepth: 12,
  deepWidth: 64,
  deepSamples: 1024,
  deepBatchSize: 64,
  deepSteps: 300,
  deepLargeSteps: 50,
  deepSeeds: [0, 1, 2, 3, 4],
  deepSmallLr: 0.03,
  deepLargeLr: 0.5,
  deepDecays: [{ label: 'warmup-cosine', schedule: { kind: 'cosine', warmupSteps: 100 } }],
};

export const lrSchedulesStudy: Study<LrSchedulesSettings> = {
  name: 'lr-schedules',
  title:
    'Too large a learning rate explodes, a smaller rate or a schedule converges: at 2/L on a quadratic, and in a deep ReLU network',
  reference:
    'Goodfellow, Bengio & Courville (2016), Deep Learning, MIT Press, sections 4.3 and 8.3; Bengio (2012), Practical recommendations for gradient-based training of deep architectures, in Neural Networks: Tricks of the Trade; Loshchilov & Hutter (2017), SGDR: stochastic gradient descent with warm restarts, ICLR; Goyal et al. (2017), Accurate, large minibatch SGD: training ImageNet in 1 hour, arXiv:1706.02677; Gilmer et al. (2022), A loss curvature perspective on training instabilities of deep learning models, ICLR.',
  claim:
    'On a quadratic loss of largest curvature L, gradient descent with a constant step above 2/L diverges (loss and gradient explode geometrically), a step below 2/L converges, and a step, exponential or cosine decay that starts above 2/L converges too; in a 12-layer ReLU network trained by SGD, where no closed-form threshold exists, too large a constant rate makes the loss and the gradient norm explode within a few steps, while a constant rate of 0.03 instead of 0.5, or a warm-up to the large rate followed by a cosine decay, converges.',
  checks: [...Object.values(CLAIMS), ...Object.values(DEEP_CLAIMS)].map((c) => ({
    ...c,
    ...COUNTERFACTUALS[c.id],
  })),
  settings: { full, fast: { ...full, steps: 120, deepSeeds: [0, 1] } },
  scaleNote:
    "Part 1 takes the smallest case where the 2/L law is exact: one linear layer (32 inputs, 4 outputs) fitted by MSE to 512 examples of a teacher network, every step on the whole set (gradient descent, not SGD). L, the largest eigenvalue of the loss's Hessian, and the least-squares minimum are computed from the same data in float64 on the host. Constant rates of 0.5, 0.95, 1.05 and 1.2 x 2/L, and a step (x0.5 every 20 steps), exponential (x0.97 per step) and cosine decay from 1.2 x 2/L, run 200 steps (120 in the fast run): at 1.05 x the error along the sharpest direction grows by 1.1 per step, past 1e3 within 120 steps, and below 2/L every direction shrinks by a factor of at most ~0.9 per step, down to float32's resolution of the minimum; with mini-batches the curvature of each batch is larger and the threshold lower (the tests show the law failing there). " +
    "Part 2 is the exploding case of a deep network: a 12-layer ReLU MLP (width 64, He init) fitted by MSE to 1,024 examples of the same kind of teacher, SGD on batches of 64 for 300 steps, 5 seeds (2 in the fast run; the steps are kept, as 200 leave the small rate too close to the bar), each with a constant rate of 0.5 (50 steps: it blows up within a few), a constant rate of 0.03, and a linear warm-up over 100 steps to 0.5 followed by a cosine decay to 0. The network's output is a product of 12 layers, so there is no closed-form threshold; it depends on the initial weights, and 0.5 is chosen well past it. Measured on 16 seeds: at 0.5 the loss and the gradient norm went past 1e3 x their first values, or overflowed, within 4 steps every time (0.3 blew up on 12 of 12 seeds, 0.2 on 9 of 12): the first update moves the weights by 16% to 78% of their norm along the directions the layers amplify, and the next gradient is 1e2 to 1e8 times larger. At 0.03 all 16 converged, to 0.05-0.36 of the first loss and 0.39-0.65 of the mean predictor's; the warm-up to 0.5 converged on all 16 too (0.035-0.30 of the first loss, 0.29-0.57 of the mean predictor's). By the time the warm-up reaches 0.5 the gradient is 40 to 110 times smaller than at initialisation, so the same rate no longer throws the weights far (Goyal et al. 2017; Gilmer et al. 2022 trace this to the curvature falling during warm-up). The same warm-up held at 0.5 without a decay converged on the 8 seeds tried: in this network the warm-up is what rescues the large rate, and the decay lowers the final loss; a cosine decay from 0.5 without warm-up is still near 0.5 when the blow-up comes, and fails (the tests show it).",
  usesBackend: true,
  run,
};
