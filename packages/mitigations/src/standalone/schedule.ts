import {
  type ExperimentSpecInput,
  GradlabError,
  learningRateAt,
  ScheduleSpec,
  setLearningRate,
} from '@gradlab/core';
import type * as tf from '@tensorflow/tfjs-core';
import { checkPositive } from './clip.js';

/**
 * A learning-rate schedule as a spec writes it (`training.schedule`): defaults may be left out.
 * With t = step - 1 - warmupSteps (steps count from 1):
 * - `{ kind: 'constant' }`: lr
 * - `{ kind: 'step', every, factor = 0.1 }`: lr * factor^floor(t / every)
 * - `{ kind: 'exponential', rate, every = 1 }`: lr * rate^(t / every)
 * - `{ kind: 'cosine', minLr = 0, period = totalSteps }`: minLr + (lr - minLr)(1 + cos(pi min(t, T) / T)) / 2,
 *   T = period - warmupSteps
 * and `warmupSteps` (default 0) first grows the rate linearly from lr / warmupSteps to lr.
 */
export type ScheduleInput = NonNullable<NonNullable<ExperimentSpecInput['training']>['schedule']>;

export interface LrSchedulerOptions {
  /** The base rate; default: the optimiser's own `learningRate`. */
  readonly lr?: number;
  /** Steps of the whole run: the cosine schedule's period when it names none. */
  readonly totalSteps?: number;
}

export interface LrScheduler {
  /** The validated schedule, defaults filled in. */
  readonly schedule: ScheduleSpec;
  /** The base rate. */
  readonly baseLr: number;
  /** The step (from 1) whose rate the optimiser holds now: 1 until the first `step()`. */
  readonly currentStep: number;
  /** The rate the optimiser holds now, used by its next update. */
  readonly lr: number;
  /** Advances one step and sets the optimiser's rate for it; returns the new rate. */
  step(): number;
  /** The schedule's rate at any step (from 1), without changing anything. */
  rateAt(step: number): number;
}

function describeIssue(issue: {
  path: readonly PropertyKey[];
  message: string;
  input?: unknown;
}): string {
  const path = ['schedule', ...issue.path.map(String)].join('.');
  const field = issue.path[issue.path.length - 1];
  const value =
    field === 'kind' && issue.input !== null && typeof issue.input === 'object'
      ? (issue.input as { kind?: unknown }).kind
      : issue.input;
  const message =
    field === 'kind' || issue.path.length === 0
      ? 'must be an object whose kind is one of "constant", "step", "exponential", "cosine"'
      : issue.message;
  return `${path}: ${message}; got ${value === undefined ? 'nothing' : JSON.stringify(value)}`;
}

/** Validates a schedule with core's ScheduleSpec; INVALID_ARGUMENT naming each bad field. */
export function parseSchedule(schedule: ScheduleInput, fn = 'createLrScheduler'): ScheduleSpec {
  const r = ScheduleSpec.safeParse(schedule, { reportInput: true });
  if (r.success) return r.data;
  const details = r.error.issues.map(describeIssue);
  throw new GradlabError(
    'INVALID_ARGUMENT',
    `${fn}: invalid schedule:\n  ${details.join('\n  ')}`,
    details,
  );
}

/**
 * A learning-rate scheduler for any tfjs optimiser, in the manner of
 * `torch.optim.lr_scheduler`: it sets the optimiser's rate for step 1 at once; call `step()`
 * after each update to move to the next step's rate. Formulas: see ScheduleInput (the same as a
 * spec's `training.schedule`, computed by core's learningRateAt).
 *
 *     const scheduler = createLrScheduler(optimizer, { kind: 'cosine', warmupSteps: 10 }, { lr: 0.1, totalSteps: 100 });
 *     for (...) { optimizer.minimize(loss); scheduler.step(); }
 */
export function createLrScheduler(
  optimizer: tf.Optimizer,
  schedule: ScheduleInput,
  options: LrSchedulerOptions = {},
): LrScheduler {
  const fn = 'createLrScheduler';
  if (
    optimizer === null ||
    typeof optimizer !== 'object' ||
    typeof (optimizer as { applyGradients?: unknown }).applyGradients !== 'function'
  ) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${fn}: optimizer must be a tfjs optimiser (tf.train.sgd(...), tf.train.adam(...), ...); got ${String(optimizer)}`,
    );
  }
  const spec = parseSchedule(schedule, fn);
  const baseLr = options.lr ?? (optimizer as unknown as { learningRate?: unknown }).learningRate;
  checkPositive(fn, 'options.lr', baseLr);
  const { totalSteps } = options;
  if (totalSteps !== undefined && (!Number.isInteger(totalSteps) || totalSteps < 1)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${fn}: options.totalSteps must be an integer >= 1; got ${String(totalSteps)}`,
    );
  }
  if (spec.kind === 'cosine' && spec.period === undefined && totalSteps === undefined) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${fn}: schedule.period: a cosine schedule needs the length of its decay: give schedule.period or options.totalSteps`,
    );
  }
  if (spec.kind === 'cosine' && spec.minLr > (baseLr as number)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${fn}: schedule.minLr (${spec.minLr}) must not exceed the base rate lr (${String(baseLr)})`,
    );
  }
  const lr0 = baseLr as number;
  const horizon = totalSteps ?? (spec.kind === 'cosine' ? (spec.period as number) : 1);
  const rateAt = (step: number): number => {
    if (!Number.isInteger(step) || step < 1) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `${fn}: rateAt(step): step counts from 1 and must be an integer; got ${step}`,
      );
    }
    return learningRateAt(spec, lr0, step, horizon);
  };
  let current = 1;
  let lr = rateAt(1);
  setLearningRate(optimizer, lr);
  return {
    schedule: spec,
    baseLr: lr0,
    get currentStep() {
      return current;
    },
    get lr() {
      return lr;
    },
    step() {
      current += 1;
      lr = rateAt(current);
      setLearningRate(optimizer, lr);
      return lr;
    },
    rateAt,
  };
}
