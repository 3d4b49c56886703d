import type {
  CheckResult,
  JudgeContext,
  StudyFigure,
  StudyOutcome,
  StudyPlan,
  StudyRun,
  StudyRuns,
  StudyTable,
} from '../study.js';

/** What a study makes of what it measured: its checks, figures and tables. */
export interface OutcomeParts<S, M> {
  readonly checks: (s: S, measured: M) => CheckResult[];
  readonly figures: (s: S, measured: M) => StudyFigure[];
  readonly tables: (s: S, measured: M) => StudyTable[];
}

/** The outcome of one measurement, each part judged, drawn or tabulated from it. */
export function outcomeOf<S, M>(s: S, measured: M, parts: OutcomeParts<S, M>): StudyOutcome {
  return {
    checks: parts.checks(s, measured),
    figures: parts.figures(s, measured),
    tables: parts.tables(s, measured),
  };
}

/**
 * The plan of a study of host numerics only (random matrices, optimisers on a formula): no
 * training run, so `runs` only checks the settings, before anything runs; the judge measures
 * (reporting ctx.progress, honouring ctx.signal), then judges, draws and tabulates.
 */
export function hostNumericsPlan<S, M>(
  checkSettings: (s: S) => void,
  measure: (s: S, ctx: JudgeContext) => M | Promise<M>,
  parts: OutcomeParts<S, M>,
): StudyPlan<S> {
  return {
    runs: (s) => {
      checkSettings(s);
      return [];
    },
    judge: async (_runs, s, ctx) => outcomeOf(s, await measure(s, ctx), parts),
  };
}

/**
 * The plan of a study that trains: `runs` checks the settings, before anything trains, then
 * lists the runs; the judge measures the trained runs once, then judges, draws and tabulates.
 */
export function trainingPlan<S, M>(
  checkSettings: (s: S) => void,
  runs: (s: S) => StudyRun[],
  measure: (s: S, runs: StudyRuns) => M,
  parts: OutcomeParts<S, M>,
): StudyPlan<S> {
  return {
    runs: (s) => {
      checkSettings(s);
      return runs(s);
    },
    judge: (trained, s) => outcomeOf(s, measure(s, trained), parts),
  };
}
