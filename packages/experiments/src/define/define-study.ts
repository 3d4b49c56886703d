import { GradlabError } from '@gradlab/core';
import type {
  CheckResult,
  DeclaredCheck,
  Study,
  StudyContext,
  StudyOutcome,
  StudyPlan,
  StudyRun,
  StudyRuns,
  TrainedRun,
} from '../study.js';

export type StudyDefinition<S> = Omit<Study<S>, 'run' | 'plan' | 'checks'> &
  StudyPlan<S> & { readonly checks: readonly DeclaredCheck[] };

/** The runs `planned` as a StudyRuns, for the judge. */
export function studyRuns(study: string, trained: readonly TrainedRun[]): StudyRuns {
  const byLabel = new Map(trained.map((r) => [r.label, r]));
  return {
    all: trained,
    get: (label) => {
      const run = byLabel.get(label);
      if (!run) {
        throw new GradlabError(
          'INVALID_ARGUMENT',
          `study "${study}" has no run labelled "${label}"; its runs are ${trained.map((r) => `"${r.label}"`).join(', ') || 'none'}`,
        );
      }
      return run;
    },
  };
}

/** Refuses a plan with two runs of one label: each names a record of its own. */
export function checkPlan(study: string, runs: readonly StudyRun[]): void {
  const seen = new Set<string>();
  for (const r of runs) {
    if (seen.has(r.label)) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `study "${study}" plans two runs labelled "${r.label}"; each run needs a label of its own`,
      );
    }
    seen.add(r.label);
  }
}

/**
 * Trains a plan's runs one after another in this process (what `runStudy` and the tests do)
 * and judges them. `gradlab verify --workers` runs the same plan on the sweep engine instead.
 */
async function runInProcess<S>(
  def: StudyDefinition<S>,
  ctx: StudyContext,
  settings: S,
): Promise<StudyOutcome> {
  const planned = def.runs(settings);
  checkPlan(def.name, planned);
  const trained: TrainedRun[] = [];
  for (const [i, r] of planned.entries()) {
    ctx.signal?.throwIfAborted();
    ctx.progress(`training ${r.label}`, i / Math.max(1, planned.length));
    trained.push(await ctx.train(r.label, r.spec));
  }
  ctx.signal?.throwIfAborted();
  const outcome = await def.judge(studyRuns(def.name, trained), settings, {
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    progress: ctx.progress,
  });
  ctx.progress('done', 1);
  return outcome;
}

/** A Study from its declarative shape: `run` trains the plan in process, `plan` exposes it. */
export function defineStudy<S>(def: StudyDefinition<S>): Study<S> {
  const { runs, judge, ...meta } = def;
  return {
    ...meta,
    plan: { runs, judge },
    run: (ctx, settings) => runInProcess(def, ctx, settings),
  };
}

/** The declared checks of a study from its table of check id -> declaration. */
export function declareChecks<K extends string>(
  table: Readonly<Record<K, Omit<DeclaredCheck, 'id'>>>,
): DeclaredCheck[] {
  return (Object.keys(table) as K[]).map((id) => ({ id, ...table[id] }));
}

/** A check result under a declared check: its id and claim come from the declaration. */
export function judged(
  declared: readonly DeclaredCheck[],
  id: string,
  result: Omit<CheckResult, 'id' | 'claim'>,
): CheckResult {
  const d = declared.find((c) => c.id === id);
  if (!d) throw new GradlabError('INVALID_ARGUMENT', `check "${id}" is not declared`);
  return { id, claim: d.claim, ...result };
}
