import type { RunResult, RunStatus, Verdict } from '@gradlab/core';
import type { CheckResult, StudyFigure, StudyTable } from '../study.js';

/** "full": the settings `gradlab verify` runs; "fast": the CI subset. */
export type StudyScale = 'full' | 'fast';

/**
 * How a study ended: "complete" (it returned its checks), "error" (it threw, or returned an
 * outcome the runner cannot judge: a FAIL with the message) or "cancelled" (the signal fired).
 */
export type StudyStatus = 'complete' | 'error' | 'cancelled';

/** One training run of a study, as verify.json lists it. */
export interface StudyRunSummary {
  readonly label: string;
  readonly status: RunStatus;
  /** Steps completed. */
  readonly steps: number;
  /** Training loss of the last step (null before any step). */
  readonly finalLoss: number | null;
  /** The trained network in inference mode (null when the run did not complete). */
  readonly evaluation: RunResult['evaluation'];
  readonly verdict: Verdict;
  /** The run record's directory, relative to the study's directory, where one was written. */
  readonly record?: string;
  readonly error?: string;
}

/**
 * The result of verifying one study: what was claimed, with which settings, what every check
 * measured, the figures and tables, the training runs, and whether every check passed. It is
 * plain data (verify.json). Numbers that are not finite become null once written as JSON.
 */
export interface StudyVerification {
  readonly gradlab: 1;
  readonly kind: 'study-verification';
  readonly name: string;
  readonly title: string;
  readonly reference: string;
  readonly claim: string;
  readonly scaleNote: string;
  readonly scale: StudyScale;
  /** The settings the study ran with (the scale's, with any overrides applied). */
  readonly settings: unknown;
  readonly usesBackend: boolean;
  /** The tfjs backend the study ran on; null for a study of host numerics only. */
  readonly backend: string | null;
  readonly status: StudyStatus;
  /** True when the study completed and reported at least one check, and every check passed. */
  readonly pass: boolean;
  readonly checks: readonly CheckResult[];
  readonly figures: readonly StudyFigure[];
  readonly tables: readonly StudyTable[];
  readonly runs: readonly StudyRunSummary[];
  readonly startedAt: string;
  readonly seconds: number;
  /** Why the study failed without a verdict (status "error"), or what was cancelled. */
  readonly error?: string;
}
