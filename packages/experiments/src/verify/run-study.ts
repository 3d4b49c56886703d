import { GradlabError, isGradlabError, type RunListener, type RunResult } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Study, StudyContext, StudyOutcome, TrainedRun } from '../study.js';
import { createStudyContext, type ListenersFor } from './context.js';
import type {
  StudyRunSummary,
  StudyScale,
  StudyStatus,
  StudyVerification,
} from './verification.js';

export interface RunStudyOptions<S> {
  readonly scale: StudyScale;
  /** Overrides of the scale's settings, key by key (a counterfactual: swap the init, ...). */
  readonly settings?: Partial<S>;
  /** Cancels the study: its training run stops between steps and runStudy throws StudyCancelledError. */
  readonly signal?: AbortSignal;
  readonly progress?: StudyContext['progress'];
  readonly listenersFor?: ListenersFor;
  readonly onTrained?: (run: TrainedRun) => void | Promise<void>;
  /** Where the record of the run `label` was written, relative to the study's directory. */
  readonly recordOf?: (label: string) => string | undefined;
}

/**
 * Thrown by runStudy when its signal fires: cancellation is the user's decision, not a finding
 * about the study, so it propagates instead of becoming a FAIL. `verification` holds what was
 * done until then (status "cancelled"), for the caller to keep.
 */
export class StudyCancelledError extends GradlabError {
  readonly verification: StudyVerification;

  constructor(verification: StudyVerification) {
    super('RUN_CANCELLED', `study "${verification.name}" was cancelled`);
    this.verification = verification;
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The scale's settings with `overrides` applied; an override the study does not know is refused. */
export function resolveSettings<S>(
  study: Study<S>,
  scale: StudyScale,
  overrides: Partial<S> | undefined,
): S {
  if (scale !== 'full' && scale !== 'fast') {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `scale is "${String(scale)}"; allowed: "full" or "fast"`,
    );
  }
  const base = study.settings[scale];
  if (overrides === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(overrides)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `settings overrides of study "${study.name}" must be an object of its settings' keys`,
    );
  }
  const unknown = Object.keys(overrides).filter((k) => !(k in base));
  if (unknown.length > 0) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `study "${study.name}" has no setting ${unknown.map((k) => `"${k}"`).join(', ')}; its settings are ${Object.keys(base).join(', ')}`,
    );
  }
  return { ...base, ...overrides } as S;
}

export function summarise(
  label: string,
  result: RunResult,
  record: string | undefined,
): StudyRunSummary {
  return {
    label,
    status: result.status,
    steps: result.stepsCompleted,
    finalLoss: result.loss.last,
    evaluation: result.evaluation,
    verdict: result.verdict,
    ...(record === undefined ? {} : { record }),
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}

/** What a study did, for verificationOf. */
export interface StudyDoings<S> {
  readonly scale: StudyScale;
  readonly settings: S;
  readonly backend: string | null;
  readonly status: StudyStatus;
  readonly outcome: StudyOutcome | null;
  readonly runs: readonly StudyRunSummary[];
  readonly startedAt: string;
  readonly seconds: number;
  readonly error?: string;
}

/** The verification (verify.json) of a study from what it did and what it concluded. */
export function verificationOf<S>(study: Study<S>, d: StudyDoings<S>): StudyVerification {
  const checks = Array.isArray(d.outcome?.checks) ? d.outcome.checks : [];
  return {
    gradlab: 1,
    kind: 'study-verification',
    name: study.name,
    title: study.title,
    reference: study.reference,
    claim: study.claim,
    scaleNote: study.scaleNote,
    scale: d.scale,
    settings: d.settings,
    usesBackend: study.usesBackend,
    backend: d.backend,
    status: d.status,
    pass: d.status === 'complete' && checks.length > 0 && checks.every((c) => c.pass === true),
    checks,
    figures: Array.isArray(d.outcome?.figures) ? d.outcome.figures : [],
    tables: Array.isArray(d.outcome?.tables) ? d.outcome.tables : [],
    runs: d.runs,
    startedAt: d.startedAt,
    seconds: d.seconds,
    ...(d.error === undefined ? {} : { error: d.error }),
  };
}

/** Why an outcome cannot be judged (no checks, a duplicate id, a declared check missing), or null. */
export function outcomeProblem(study: Study<unknown>, outcome: StudyOutcome): string | null {
  if (!outcome || !Array.isArray(outcome.checks) || outcome.checks.length === 0) {
    return 'the study reported no checks: nothing was verified';
  }
  const ids = outcome.checks.map((c) => c.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) return `the study reported check "${duplicate}" twice`;
  const notBoolean = outcome.checks.find((c) => typeof c.pass !== 'boolean');
  if (notBoolean) return `check "${notBoolean.id}" has no pass/fail (pass is not a boolean)`;
  const missing = (study.checks ?? []).filter((d) => !ids.includes(d.id)).map((d) => d.id);
  if (missing.length > 0) {
    return `the study declares check(s) ${missing.map((id) => `"${id}"`).join(', ')} but did not report them`;
  }
  return null;
}

export function describeError(e: unknown): string {
  if (isGradlabError(e)) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/**
 * Runs one study at a scale and judges it. A study that throws, or returns an outcome that
 * cannot be judged, is a FAIL with the message (status "error"), never an exception, so that
 * one broken study does not stop a whole catalogue; only cancellation throws
 * (StudyCancelledError, carrying what was done). The caller activates the tfjs backend first.
 */
export async function runStudy<S>(
  study: Study<S>,
  options: RunStudyOptions<S>,
): Promise<StudyVerification> {
  const settings = resolveSettings(study, options.scale, options.settings);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const signal = options.signal;
  // Runs in the order they started, each summarised from its "finished" event, so that failed
  // and cancelled runs are listed as well as those the study got back.
  const runs = new Map<string, StudyRunSummary | null>();
  const ctx = createStudyContext({
    ...(signal ? { signal } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.onTrained ? { onTrained: options.onTrained } : {}),
    listenersFor: async (label, spec) => {
      // The label names the run's record: a second run with the same one would collide.
      if (runs.has(label)) {
        throw new GradlabError(
          'INVALID_ARGUMENT',
          `study "${study.name}" trains two runs labelled "${label}"; each run needs a label of its own`,
        );
      }
      runs.set(label, null);
      const own: RunListener = (e) => {
        if (e.type === 'finished')
          runs.set(label, summarise(label, e.result, options.recordOf?.(label)));
      };
      return [own, ...((await options.listenersFor?.(label, spec)) ?? [])];
    },
  });

  let status: StudyStatus = 'complete';
  let outcome: StudyOutcome | null = null;
  let error: string | undefined;
  if (signal?.aborted) {
    status = 'cancelled';
    error = 'cancelled before it started';
  } else {
    try {
      outcome = await study.run(ctx, settings);
      const problem = outcomeProblem(study as Study<unknown>, outcome);
      if (problem) {
        status = 'error';
        error = problem;
      }
    } catch (e) {
      status = signal?.aborted ? 'cancelled' : 'error';
      error = status === 'cancelled' ? 'cancelled' : describeError(e);
    }
  }
  const verification = verificationOf(study, {
    scale: options.scale,
    settings,
    backend: study.usesBackend ? tf.getBackend() : null,
    status,
    outcome,
    runs: [...runs.values()].filter((r): r is StudyRunSummary => r !== null),
    startedAt,
    seconds: (performance.now() - t0) / 1000,
    ...(error === undefined ? {} : { error }),
  });
  if (status === 'cancelled') throw new StudyCancelledError(verification);
  return verification;
}
