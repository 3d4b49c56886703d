import { GradlabError, parseSpec, type RunRecord } from '@gradlab/core';
import { checkPlan, studyRuns } from '../define/define-study.js';
import type { Study, StudyOutcome, StudyRun, TrainedRun } from '../study.js';
import { trainedRunFromRecord } from './recorded-run.js';
import {
  describeError,
  outcomeProblem,
  resolveSettings,
  StudyCancelledError,
  summarise,
  verificationOf,
} from './run-study.js';
import type {
  StudyRunSummary,
  StudyScale,
  StudyStatus,
  StudyVerification,
} from './verification.js';

/** One planned run of a study as the sweep engine left it. */
export interface RecordedRun {
  readonly label: string;
  /** Its run record, or null when it has none (its worker died, it never ran). */
  readonly record: RunRecord | null;
  /** Where the record is, relative to the study's directory. */
  readonly path?: string;
  /** Why there is no record. */
  readonly error?: string;
}

export interface JudgeRecordedOptions<S> {
  readonly scale: StudyScale;
  readonly settings?: Partial<S>;
  readonly runs: readonly RecordedRun[];
  /** The backend the runs ran on (null for a study of host numerics only). */
  readonly backend: string | null;
  readonly startedAt: string;
  /** Seconds the runs took (the judge's own time is added). */
  readonly seconds: number;
  readonly signal?: AbortSignal;
  readonly progress?: (message: string, fraction?: number) => void;
}

/**
 * The runs a planned study trains at a scale (with overrides), each validated: what
 * `gradlab verify` hands the sweep engine. Throws for a study without a plan.
 */
export function plannedRuns<S>(
  study: Study<S>,
  scale: StudyScale,
  overrides?: Partial<S>,
): StudyRun[] {
  if (!study.plan) {
    throw new GradlabError('INVALID_ARGUMENT', `study "${study.name}" has no plan of runs`);
  }
  const runs = study.plan.runs(resolveSettings(study, scale, overrides));
  checkPlan(study.name, runs);
  return runs.map((r) => ({ label: r.label, spec: parseSpec(r.spec, `study run "${r.label}"`) }));
}

/**
 * Judges a planned study from its runs' records, as `runStudy` judges the runs it trained
 * itself: the same settings, checks, figures and verify.json. A run without a record, or a
 * judge that throws, makes the study an error (a FAIL with the reason); cancellation throws
 * StudyCancelledError like runStudy.
 */
export async function judgeRecordedStudy<S>(
  study: Study<S>,
  o: JudgeRecordedOptions<S>,
): Promise<StudyVerification> {
  const settings = resolveSettings(study, o.scale, o.settings);
  const plan = study.plan;
  if (!plan)
    throw new GradlabError('INVALID_ARGUMENT', `study "${study.name}" has no plan of runs`);
  const t0 = performance.now();
  const summaries: StudyRunSummary[] = o.runs.flatMap((r) =>
    r.record ? [summarise(r.label, r.record.manifest.result, r.path)] : [],
  );
  let status: StudyStatus = 'complete';
  let outcome: StudyOutcome | null = null;
  let error: string | undefined;
  const missing = o.runs.filter((r) => r.record === null);
  if (o.signal?.aborted) {
    status = 'cancelled';
    error = `cancelled with ${o.runs.length - missing.length} of ${o.runs.length} runs recorded; the same verify again resumes it`;
  } else if (missing.length > 0) {
    status = 'error';
    error = `no record of run(s) ${missing.map((r) => `"${r.label}"${r.error ? ` (${r.error})` : ''}`).join(', ')}: nothing to judge`;
  } else {
    try {
      const trained: TrainedRun[] = o.runs.map((r) =>
        trainedRunFromRecord(r.label, r.record as RunRecord),
      );
      outcome = await plan.judge(studyRuns(study.name, trained), settings, {
        ...(o.signal ? { signal: o.signal } : {}),
        progress: o.progress ?? (() => {}),
      });
      const problem = outcomeProblem(study as Study<unknown>, outcome);
      if (problem) {
        status = 'error';
        error = problem;
      }
    } catch (e) {
      status = o.signal?.aborted ? 'cancelled' : 'error';
      error = status === 'cancelled' ? 'cancelled' : describeError(e);
    }
  }
  const verification = verificationOf(study, {
    scale: o.scale,
    settings,
    backend: study.usesBackend ? o.backend : null,
    status,
    outcome,
    runs: summaries,
    startedAt: o.startedAt,
    seconds: o.seconds + (performance.now() - t0) / 1000,
    ...(error === undefined ? {} : { error }),
  });
  if (status === 'cancelled') throw new StudyCancelledError(verification);
  return verification;
}
