import { judged } from '../../define/define-study.js';
import type { CheckResult, StudyRuns, TrainedRun } from '../../study.js';
import { everyOfSome, finiteOrNull, valuesPerItem } from '../../study-kit/check-values.js';
import { measureExplosion } from '../../study-kit/explosion.js';
import { declared } from './checks.js';
import { meanPredictorLoss } from './mean-predictor.js';
import { fmt, times } from './numbers.js';
import {
  type DecaySchedule,
  deepLabel,
  deepRuns,
  type LrSchedulesSettings,
  type ScheduleSpecInput,
  teacherOf,
} from './settings.js';

/** Loss or gradient norm above this multiple of its first value (or NaN/Inf) has exploded. */
export const EXPLODED_FACTOR = 1e3;
/** A converged run's final loss is at most this fraction of its first step's loss... */
export const CONVERGED_LOSS_FRACTION = 0.5;
/**
 * ...and at most this fraction of what predicting each output's mean costs: a network whose
 * ReLUs all died falls to exactly that loss, which the first condition alone would accept.
 */
export const CONVERGED_MEAN_FRACTION = 0.8;

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

/**
 * What one deep-network run measured, the numbers the checks judge. `meanLoss` is the mean
 * predictor's loss on the evaluated examples.
 */
export function summariseDeepRun(
  arm: string,
  seed: number,
  schedule: ScheduleSpecInput,
  run: TrainedRun,
  meanLoss: number,
) {
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
    /** "large-constant", "small-constant", or a decay's label. */
    arm,
    seed,
    /** The optimizer's rate: the constant rate, or a schedule's peak. */
    lr: run.spec.training.optimizer.lr,
    schedule,
    firstLoss: run.losses[0] ?? Number.NaN,
    /** Loss of the trained network on the evaluated examples (NaN if its weights overflowed). */
    finalLoss: run.result.evaluation?.loss ?? Number.NaN,
    /** MSE of predicting each output's mean on the same examples. */
    meanLoss,
    /** Largest training loss and gradient norm over their first values (Infinity past NaN/Inf). */
    lossGrowth: explosion.lossGrowth,
    gradGrowth: explosion.gradGrowth,
    /** First step whose loss exceeded EXPLODED_FACTOR x the first or was not finite. */
    blowUpStep: explosion.blowUpStep,
    /** Steps whose training loss or gradient norm was NaN or infinite. */
    nonFiniteSteps: nonFinite.length,
    /** ||lr g|| / ||W|| of step 1: how far the first update moves the initial weights. */
    firstUpdateToWeights: (firstLr * (first?.globalGradNorm ?? Number.NaN)) / weightNorm,
    /** Gradient norm at the step where the rate peaks, over step 1's. */
    gradAtPeakToFirst: (peak?.globalGradNorm ?? Number.NaN) / (first?.globalGradNorm ?? Number.NaN),
  };
}
export type DeepArm = ReturnType<typeof summariseDeepRun>;

/** Each deep-network run, trained and measured. */
export function deepArms(
  s: LrSchedulesSettings,
  runs: StudyRuns,
): (DeepArm & { run: TrainedRun })[] {
  return deepRuns(s).map(({ arm, seed, label, schedule }) => {
    const run = runs.get(label);
    // The mean predictor on the examples the trained network was evaluated on.
    const evaluated = run.result.evaluation?.samples ?? s.deepSamples;
    const targets = teacherOf(s, seed, s.deepSamples).y;
    const meanLoss = meanPredictorLoss(targets, evaluated, s.outputSize);
    return { ...summariseDeepRun(arm, seed, schedule, run, meanLoss), run };
  });
}

const seedOf = (a: DeepArm) => `seed ${a.seed}`;
const labelOf = (a: DeepArm) => deepLabel(a.arm, a.seed);

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

/** The seeds of one constant rate, described in turn. */
const perSeed = (lr: number, list: readonly DeepArm[], describe: (a: DeepArm) => string) =>
  list.length > 0 ? `lr ${fmt(lr)}: ${list.map(describe).join('; ')}` : 'no seed was run';

const ofArm = (all: readonly DeepArm[], arm: string): DeepArm[] => all.filter((a) => a.arm === arm);

const convergenceValues = (list: readonly DeepArm[]) =>
  valuesPerItem(list, labelOf, (a) => ({
    finalLoss: finiteOrNull(a.finalLoss),
    toFirst: finiteOrNull(a.finalLoss / a.firstLoss),
    toMeanPredictor: finiteOrNull(a.finalLoss / a.meanLoss),
    nonFiniteSteps: a.nonFiniteSteps,
  }));

const expectConverged = `for every seed: no NaN/Inf loss or gradient, final loss <= ${CONVERGED_LOSS_FRACTION} x the first step's and <= ${CONVERGED_MEAN_FRACTION} x the mean predictor's`;

export function deepLargeCheck(all: readonly DeepArm[], lr: number): CheckResult {
  const list = ofArm(all, 'large-constant');
  return judged(declared, 'deep-large-step-explodes', {
    pass: everyOfSome(list, explodes),
    measured: perSeed(lr, list, describeExplosion),
    expected: `for every seed: the largest loss and the largest gradient norm > ${fmt(EXPLODED_FACTOR)} x their first values, or NaN/Inf`,
    values: valuesPerItem(list, labelOf, (a) => ({
      lossGrowth: finiteOrNull(a.lossGrowth),
      gradGrowth: finiteOrNull(a.gradGrowth),
      blowUpStep: a.blowUpStep,
      firstUpdateToWeights: finiteOrNull(a.firstUpdateToWeights),
    })),
  });
}

export function deepSmallCheck(all: readonly DeepArm[], lr: number): CheckResult {
  const list = ofArm(all, 'small-constant');
  return judged(declared, 'deep-small-step-converges', {
    pass: everyOfSome(list, converges),
    measured: perSeed(lr, list, describeConvergence),
    expected: expectConverged,
    values: convergenceValues(list),
  });
}

export function deepDecayCheck(
  all: readonly DeepArm[],
  decays: readonly DecaySchedule[],
): CheckResult {
  const groups = decays.map((d) => ({ label: d.label, list: ofArm(all, d.label) }));
  const ran = groups.filter((g) => g.list.length > 0);
  return judged(declared, 'deep-decay-from-large-step-converges', {
    pass: ran.length === groups.length && everyOfSome(ran, (g) => g.list.every(converges)),
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
  });
}

export const deepChecks = (s: LrSchedulesSettings, all: readonly DeepArm[]): CheckResult[] => [
  deepLargeCheck(all, s.deepLargeLr),
  deepSmallCheck(all, s.deepSmallLr),
  deepDecayCheck(all, s.deepDecays),
];
