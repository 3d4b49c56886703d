import { teacherData } from '@gradlab/core';
import type {
  CheckResult,
  FigurePoint,
  StudyContext,
  StudyFigure,
  StudyTable,
  TrainedRun,
} from '../../study.js';
import { measureExplosion } from '../training-measures/explosion.js';
import { meanPredictorLoss } from './mean-predictor.js';
import { finiteOrNull, fmt, times } from './numbers.js';
import type { DecaySchedule, ScheduleSpecInput } from './schedule.js';

/** The settings of the deep-network part (the teacher's sizes are shared with the quadratic part). */
export interface DeepNetworkSettings {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Dense layers of the ReLU network (He init), the output layer included. */
  readonly deepDepth: number;
  readonly deepWidth: number;
  /** Teacher examples; the trained network is evaluated on (up to 1,024 of) them. */
  readonly deepSamples: number;
  /** Mini-batch SGD: the noise and the depth are what make the blow-up deep-network-like. */
  readonly deepBatchSize: number;
  readonly deepSteps: number;
  /** Steps of the constant large-rate runs: enough to see a blow-up that comes within a few. */
  readonly deepLargeSteps: number;
  /** Every arm runs once per seed (the seed draws the teacher, the weights and the batches). */
  readonly deepSeeds: readonly number[];
  readonly deepSmallLr: number;
  readonly deepLargeLr: number;
  /** Schedules whose peak rate is deepLargeLr (warm-up + cosine, ...). */
  readonly deepDecays: readonly DecaySchedule[];
}

/** Loss or gradient norm above this multiple of its first value (or NaN/Inf) has exploded. */
export const EXPLODED_FACTOR = 1e3;
/** A converged run's final loss is at most this fraction of its first step's loss... */
export const CONVERGED_LOSS_FRACTION = 0.5;
/**
 * ...and at most this fraction of what predicting each output's mean costs: a network whose
 * ReLUs all died falls to exactly that loss, which the first condition alone would accept.
 */
export const CONVERGED_MEAN_FRACTION = 0.8;

export const DEEP_CLAIMS = {
  large: {
    id: 'deep-large-step-explodes',
    claim:
      'In a deep ReLU network trained by SGD, a constant learning rate that is too large makes the loss and the gradient norm explode within a few steps, for every seed.',
  },
  small: {
    id: 'deep-small-step-converges',
    claim:
      'In the same network, a constant rate more than ten times smaller converges for every seed: the loss falls well below its start and below what predicting the mean costs.',
  },
  decay: {
    id: 'deep-decay-from-large-step-converges',
    claim:
      'A schedule that warms up to the exploding rate and then decays (warm-up + cosine) trains the same network without blowing up and converges, for every seed.',
  },
} as const;

/** What one deep-network run measured, the numbers the checks judge. */
export interface DeepArm {
  /** "large-constant", "small-constant", or a decay's label. */
  readonly arm: string;
  readonly seed: number;
  /** The optimizer's rate: the constant rate, or a schedule's peak. */
  readonly lr: number;
  readonly schedule: ScheduleSpecInput;
  readonly firstLoss: number;
  /** Loss of the trained network on the evaluated examples (NaN if its weights overflowed). */
  readonly finalLoss: number;
  /** MSE of predicting each output's mean on the same examples. */
  readonly meanLoss: number;
  /** Largest training loss and gradient norm over their first values (Infinity past NaN/Inf). */
  readonly lossGrowth: number;
  readonly gradGrowth: number;
  /** First step whose loss exceeded EXPLODED_FACTOR x the first or was not finite. */
  readonly blowUpStep: number | null;
  /** Steps whose training loss or gradient norm was NaN or infinite. */
  readonly nonFiniteSteps: number;
  /** ||lr g|| / ||W|| of step 1: how far the first update moves the initial weights. */
  readonly firstUpdateToWeights: number;
  /** Gradient norm at the step where the rate peaks, over step 1's. */
  readonly gradAtPeakToFirst: number;
}

export const deepLabel = (arm: string, seed: number): string => `deep-${arm}-s${seed}`;

export function explodes(a: DeepArm): boolean {
  return a.lossGrowth > EXPLODED_FACTOR && a.gradGrowth > EXPLODED_FACTOR;
}

export function converges(a: DeepArm): boolean {
  return (
    a.nonFiniteSteps === 0 &&
    a.finalLoss <= CONVERGED_LOSS_FRACTION * a.firstLoss &&
    a.finalLoss <= CONVERGED_MEAN_FRACTION * a.meanLoss
  );
}

/** Measures one finished run. `meanLoss` is the mean predictor's loss on the evaluated examples. */
export function summariseDeepRun(
  arm: string,
  seed: number,
  schedule: ScheduleSpecInput,
  run: TrainedRun,
  meanLoss: number,
): DeepArm {
  const norms = run.steps.map((d) => d.globalGradNorm);
  const explosion = measureExplosion(run.losses, norms, EXPLODED_FACTOR);
  const first = run.steps[0];
  const firstLr = first?.telemetry.lr ?? Number.NaN;
  const weightNorm = Math.hypot(...(first?.layers ?? []).map((l) => l.weightNorm ?? Number.NaN));
  let peak = first;
  for (const d of run.steps) if ((d.telemetry.lr ?? 0) > (peak?.telemetry.lr ?? 0)) peak = d;
  // A step without a gradient norm counts as non-finite: every step of these runs measures one.
  const nonFinite = run.losses.filter(
    (l, i) => !(Number.isFinite(l) && Number.isFinite(norms[i] ?? Number.NaN)),
  );
  return {
    arm,
    seed,
    lr: run.spec.training.optimizer.lr,
    schedule,
    firstLoss: run.losses[0] ?? Number.NaN,
    finalLoss: run.result.evaluation?.loss ?? Number.NaN,
    meanLoss,
    lossGrowth: explosion.lossGrowth,
    gradGrowth: explosion.gradGrowth,
    blowUpStep: explosion.blowUpStep,
    nonFiniteSteps: nonFinite.length,
    firstUpdateToWeights: (firstLr * (first?.globalGradNorm ?? Number.NaN)) / weightNorm,
    gradAtPeakToFirst: (peak?.globalGradNorm ?? Number.NaN) / (first?.globalGradNorm ?? Number.NaN),
  };
}

const seedOf = (a: DeepArm) => `seed ${a.seed}`;

function describeExplosion(a: DeepArm): string {
  const when =
    a.blowUpStep === null
      ? ''
      : `, past ${fmt(EXPLODED_FACTOR)}x or NaN/Inf at step ${a.blowUpStep}`;
  return `${seedOf(a)}: loss ${times(a.lossGrowth)}, gradient norm ${times(a.gradGrowth)}${when}`;
}

function describeConvergence(a: DeepArm): string {
  if (a.nonFiniteSteps > 0)
    return `${seedOf(a)}: ${a.nonFiniteSteps} steps with a NaN/Inf loss or gradient (loss ${times(a.lossGrowth)})`;
  return `${seedOf(a)}: loss ${fmt(a.firstLoss)} -> ${fmt(a.finalLoss)} (${fmt(a.finalLoss / a.firstLoss)} of the first, ${fmt(a.finalLoss / a.meanLoss)} of the mean predictor's ${fmt(a.meanLoss)})`;
}

function arms(all: readonly DeepArm[], arm: string): DeepArm[] {
  return all.filter((a) => a.arm === arm);
}

function convergenceValues(list: readonly DeepArm[]): Record<string, number | null> {
  return Object.fromEntries(
    list.flatMap((a) => {
      const key = deepLabel(a.arm, a.seed);
      return [
        [`${key}.finalLoss`, finiteOrNull(a.finalLoss)],
        [`${key}.toFirst`, finiteOrNull(a.finalLoss / a.firstLoss)],
        [`${key}.toMeanPredictor`, finiteOrNull(a.finalLoss / a.meanLoss)],
        [`${key}.nonFiniteSteps`, a.nonFiniteSteps],
      ];
    }),
  );
}

const expectConverged = `for every seed: no NaN/Inf loss or gradient, final loss <= ${CONVERGED_LOSS_FRACTION} x the first step's and <= ${CONVERGED_MEAN_FRACTION} x the mean predictor's`;

export function deepLargeCheck(all: readonly DeepArm[], lr: number): CheckResult {
  const list = arms(all, 'large-constant');
  return {
    ...DEEP_CLAIMS.large,
    pass: list.length > 0 && list.every(explodes),
    measured:
      list.length > 0
        ? `lr ${fmt(lr)}: ${list.map(describeExplosion).join('; ')}`
        : 'no seed was run',
    expected: `for every seed: the largest loss and the largest gradient norm > ${fmt(EXPLODED_FACTOR)} x their first values, or NaN/Inf`,
    values: Object.fromEntries(
      list.flatMap((a) => {
        const key = deepLabel(a.arm, a.seed);
        return [
          [`${key}.lossGrowth`, finiteOrNull(a.lossGrowth)],
          [`${key}.gradGrowth`, finiteOrNull(a.gradGrowth)],
          [`${key}.blowUpStep`, a.blowUpStep],
          [`${key}.firstUpdateToWeights`, finiteOrNull(a.firstUpdateToWeights)],
        ];
      }),
    ),
  };
}

export function deepSmallCheck(all: readonly DeepArm[], lr: number): CheckResult {
  const list = arms(all, 'small-constant');
  return {
    ...DEEP_CLAIMS.small,
    pass: list.length > 0 && list.every(converges),
    measured:
      list.length > 0
        ? `lr ${fmt(lr)}: ${list.map(describeConvergence).join('; ')}`
        : 'no seed was run',
    expected: expectConverged,
    values: convergenceValues(list),
  };
}

export function deepDecayCheck(
  all: readonly DeepArm[],
  decays: readonly DecaySchedule[],
): CheckResult {
  const groups = decays.map((d) => ({ label: d.label, list: arms(all, d.label) }));
  const ran = groups.filter((g) => g.list.length > 0);
  return {
    ...DEEP_CLAIMS.decay,
    pass:
      ran.length > 0 && ran.length === groups.length && ran.every((g) => g.list.every(converges)),
    measured:
      ran.length > 0
        ? ran
            .map(
              (g) =>
                `${g.label} (peak lr ${fmt(g.list[0]?.lr ?? Number.NaN)}): ${g.list.map(describeConvergence).join('; ')}`,
            )
            .join(' | ')
        : 'no schedule was run',
    expected: `${expectConverged}, for every schedule`,
    values: convergenceValues(ran.flatMap((g) => g.list)),
  };
}

const positive = (y: number): boolean => Number.isFinite(y) && y > 0;

/** Loss and gradient norm per step of the first seed's runs. */
export function deepFigures(
  runs: readonly { arm: DeepArm; run: TrainedRun }[],
  s: DeepNetworkSettings,
): StudyFigure[] {
  const seed = s.deepSeeds[0];
  const shown = runs.filter((r) => r.arm.seed === seed);
  const loss: FigurePoint[] = shown.flatMap(({ arm, run }) =>
    run.losses.flatMap((y, i) => (positive(y) ? [{ series: arm.arm, x: i + 1, y }] : [])),
  );
  const grad: FigurePoint[] = shown.flatMap(({ arm, run }) =>
    run.steps.flatMap((d) =>
      positive(d.globalGradNorm) ? [{ series: arm.arm, x: d.step, y: d.globalGradNorm }] : [],
    ),
  );
  const net = `${s.deepDepth}-layer ReLU network (width ${s.deepWidth}, He init), SGD on batches of ${s.deepBatchSize}, seed ${seed}`;
  return [
    {
      id: 'deep-loss-curves',
      title: 'Deep network: training loss per step',
      kind: 'line',
      x: { title: 'step' },
      y: { title: 'mini-batch loss', log: true },
      points: loss,
      caption: `${net}. At the constant rate ${fmt(s.deepLargeLr)} the loss jumps by orders of magnitude within a few steps (NaN/Inf values are not drawn; a network that survives the overflow has dead units and falls back at best to predicting the mean); the constant rate ${fmt(s.deepSmallLr)} and the warm-up to ${fmt(s.deepLargeLr)} both bring it down.`,
    },
    {
      id: 'deep-gradient-norm',
      title: 'Deep network: gradient norm per step',
      kind: 'line',
      x: { title: 'step' },
      y: { title: '||g|| (all layers)', log: true },
      points: grad,
      caption: `${net}. The first large update moves the weights along the directions the product of layers amplifies, and the next gradient is orders of magnitude larger: each feeds the other until they overflow.`,
    },
  ];
}

export function deepTable(all: readonly DeepArm[]): StudyTable {
  return {
    id: 'deep-arms',
    title: 'Deep-network runs',
    columns: [
      'run',
      'seed',
      'lr (peak)',
      'schedule',
      'first loss',
      'final loss',
      'final / first',
      'final / mean predictor',
      'largest loss / first',
      'largest ||g|| / first',
      'step 1: ||lr g|| / ||W||',
      '||g|| at peak rate / step 1',
    ],
    rows: all.map((a) => [
      a.arm,
      a.seed,
      a.lr,
      a.schedule.kind + (a.schedule.warmupSteps ? ` (warm-up ${a.schedule.warmupSteps})` : ''),
      finiteOrNull(a.firstLoss),
      finiteOrNull(a.finalLoss),
      finiteOrNull(a.finalLoss / a.firstLoss),
      finiteOrNull(a.finalLoss / a.meanLoss),
      finiteOrNull(a.lossGrowth),
      finiteOrNull(a.gradGrowth),
      finiteOrNull(a.firstUpdateToWeights),
      finiteOrNull(a.gradAtPeakToFirst),
    ]),
  };
}

/**
 * Trains the deep network once per seed and arm: the large constant rate, the small one, and
 * each schedule peaking at the large rate. `report` gets progress as a fraction of this part.
 */
export async function runDeepNetwork(
  ctx: StudyContext,
  s: DeepNetworkSettings,
  report: (message: string, fraction: number) => void,
): Promise<{
  arms: DeepArm[];
  checks: CheckResult[];
  figures: StudyFigure[];
  tables: StudyTable[];
}> {
  const plan: { arm: string; lr: number; steps: number; schedule: ScheduleSpecInput }[] = [
    {
      arm: 'large-constant',
      lr: s.deepLargeLr,
      steps: s.deepLargeSteps,
      schedule: { kind: 'constant' },
    },
    {
      arm: 'small-constant',
      lr: s.deepSmallLr,
      steps: s.deepSteps,
      schedule: { kind: 'constant' },
    },
    ...s.deepDecays.map((d) => ({
      arm: d.label,
      lr: s.deepLargeLr,
      steps: s.deepSteps,
      schedule: d.schedule,
    })),
  ];
  const total = plan.length * s.deepSeeds.length;
  const runs: { arm: DeepArm; run: TrainedRun }[] = [];
  for (const seed of s.deepSeeds) {
    const data = teacherData(seed, {
      task: 'regression',
      inputSize: s.inputSize,
      outputSize: s.outputSize,
      samples: s.deepSamples,
      noise: 0,
    });
    for (const p of plan) {
      ctx.signal?.throwIfAborted();
      const label = deepLabel(p.arm, seed);
      report(`${label}: lr ${fmt(p.lr)} (${p.schedule.kind})`, runs.length / total);
      const run = await ctx.train(label, {
        gradlab: 1,
        name: `lr-schedules-${label}`,
        seed,
        data: {
          kind: 'teacher',
          task: 'regression',
          inputSize: s.inputSize,
          outputSize: s.outputSize,
          samples: s.deepSamples,
        },
        model: {
          kind: 'mlp',
          depth: s.deepDepth,
          width: s.deepWidth,
          activation: 'relu',
          init: 'he-normal',
        },
        training: {
          steps: p.steps,
          batchSize: s.deepBatchSize,
          optimizer: { kind: 'sgd', lr: p.lr },
          schedule: p.schedule,
          loss: 'mse',
        },
        // Gradient norms every step; weights (for the first update's size) on step 1.
        diagnostics: { every: p.steps },
      });
      const evaluated = run.result.evaluation?.samples ?? s.deepSamples;
      const meanLoss = meanPredictorLoss(data.y, evaluated, s.outputSize);
      runs.push({ arm: summariseDeepRun(p.arm, seed, p.schedule, run, meanLoss), run });
    }
  }
  const all = runs.map((r) => r.arm);
  return {
    arms: all,
    checks: [
      deepLargeCheck(all, s.deepLargeLr),
      deepSmallCheck(all, s.deepSmallLr),
      deepDecayCheck(all, s.deepDecays),
    ],
    figures: deepFigures(runs, s),
    tables: [deepTable(all)],
  };
}
