import type {
  ExperimentSpec,
  ExperimentSpecInput,
  RunResult,
  StepDiagnostics,
} from '@gradlab/core';

/**
 * A study reproduces one published result at laptop scale and checks it automatically.
 *
 * A study is measurement plus judgement: `run` measures (training runs, random networks,
 * numerics) with the given settings and returns checks that compare what was measured with
 * what the paper or the theory predicts, each with a stated tolerance. The settings are data,
 * so a test can run the same study with a counterfactual setting (swap the init, drop the
 * clipping) and watch the check fail: no check is a foregone conclusion.
 */
export interface Study<S = Record<string, unknown>> {
  /** CLI name: `gradlab verify <name>`. Lower-case words joined by "-". */
  readonly name: string;
  readonly title: string;
  /** The paper(s): "He, Zhang, Ren & Sun (2015), Delving deep into rectifiers, ICCV." */
  readonly reference: string;
  /** The claim in one sentence. */
  readonly claim: string;
  /**
   * Settings per scale. "full" is what `gradlab verify` runs (the catalogue runs in under 20
   * minutes on a 2-core CPU with the fastest backend); "fast" is the CI subset, with fewer
   * steps or seeds where the claim allows.
   */
  readonly settings: { readonly full: S; readonly fast: S };
  /** Why the scaled-down settings still show the claim: shown by `gradlab presets <name>`. */
  readonly scaleNote: string;
  /** Whether the study trains or evaluates networks on the active tfjs backend (false: host numerics only). */
  readonly usesBackend: boolean;
  /**
   * The checks `run` reports, declared ahead of running (optional): the docs and
   * `gradlab presets <name>` list them, and the runner fails a study that leaves a declared
   * check out of its outcome, so a check cannot silently disappear.
   */
  readonly checks?: readonly DeclaredCheck[];
  readonly run: (ctx: StudyContext, settings: S) => Promise<StudyOutcome>;
  /**
   * The study's runs and judge, for a study built with defineStudy: `gradlab verify` then runs
   * the runs on the sweep engine (workers, resume, Redis) and judges from the records. A study
   * without one (its runs depend on each other's results) runs only through `run`.
   */
  readonly plan?: StudyPlan<S>;
}

/** What a study may use while it runs. The runner activates the backend before calling it. */
export interface StudyContext {
  /** The tfjs backend that is active. */
  readonly backend: string;
  readonly signal?: AbortSignal;
  /** Progress for humans: what is running now, and the fraction of the study done (0..1). */
  readonly progress: (message: string, fraction?: number) => void;
  /**
   * Trains one experiment with runExperiment and keeps it as one of the study's runs (the CLI
   * writes it as a run record under the study's directory, named by `label`). Validates the
   * spec; throws on a cancelled run.
   */
  readonly train: (label: string, spec: ExperimentSpecInput) => Promise<TrainedRun>;
}

/** One training run a study plans: the run's name within the study, and its experiment. */
export interface StudyRun {
  /** Names the run's record; unique within the study ("relu-he-seed0"). */
  readonly label: string;
  readonly spec: ExperimentSpecInput;
}

/** A study's finished runs, by label, in the order they were planned. */
export interface StudyRuns {
  /** The run labelled `label`; throws naming it when the study planned no such run. */
  get(label: string): TrainedRun;
  readonly all: readonly TrainedRun[];
}

/** What a study's judge may use: host numerics can be long, so they report progress. */
export interface JudgeContext {
  readonly signal?: AbortSignal;
  readonly progress: (message: string, fraction?: number) => void;
}

/**
 * A study in its declarative shape: the runs it needs, decided by the settings alone, and a
 * judge that turns the finished runs (and any host-side numerics) into checks, figures and
 * tables. Because the runs are known before any of them starts, `gradlab verify` can hand them
 * to the sweep engine (parallel workers, resumable, Redis) and judge afterwards from the
 * records; a counterfactual is other settings, so other runs, judged by the same judge.
 */
export interface StudyPlan<S> {
  /** The training runs, in the order a sequential verify trains them (may be empty). */
  readonly runs: (settings: S) => readonly StudyRun[];
  /** Checks, figures and tables from the finished runs; pure apart from host numerics. */
  readonly judge: (
    runs: StudyRuns,
    settings: S,
    ctx: JudgeContext,
  ) => StudyOutcome | Promise<StudyOutcome>;
}

/** One training run of a study, with the per-step history a check or a figure needs. */
export interface TrainedRun {
  readonly label: string;
  readonly spec: ExperimentSpec;
  readonly result: RunResult;
  /** Loss of every step, in order (index 0 is step 1). */
  readonly losses: readonly number[];
  /** Gradient diagnostics of every step that measured them, in step order. */
  readonly steps: readonly StepDiagnostics[];
}

/** A check a study promises to report: the same id and claim as its CheckResult. */
export interface DeclaredCheck {
  readonly id: string;
  readonly claim: string;
  /** What the check measures, in a sentence (the docs list it with the counterfactuals). */
  readonly measures?: string;
  /** The tolerance it judges the measurement with, and why that much. */
  readonly tolerance?: string;
  /**
   * Changes that remove or perturb the check's cause, under which it fails: a check that passed
   * whether or not its cause is present would prove nothing. A test runs each one.
   */
  readonly counterfactuals?: readonly Counterfactual[];
}

/** A counterfactual setting of a study, and what one check measured under it. */
export interface Counterfactual {
  /** The change, in the study's settings: "normalised.init = \"standard\" (tanh, standard init)". */
  readonly change: string;
  /** What the check measured then, the number that fails it: "accuracy 82% against 93%". */
  readonly measured: string;
}

/** One claim judged against measurement. */
export interface CheckResult {
  /** Stable id within the study, e.g. "he-trains". */
  readonly id: string;
  /** What must hold, in one sentence. */
  readonly claim: string;
  readonly pass: boolean;
  /** What was measured, with the numbers: "first/last gradient ratio 3.1e-9 after 1 step". */
  readonly measured: string;
  /** What the paper or the theory predicts, with the tolerance: "chi_1 = 0.96 +/- 10%". */
  readonly expected: string;
  /** The measured numbers, for machine readers (verify.json). */
  readonly values?: Readonly<Record<string, number | null>>;
}

/** A chart of a study's measurements: rendered to SVG by the report (one Vega-Lite mark). */
export interface StudyFigure {
  readonly id: string;
  readonly title: string;
  /** line: one line per series; point: scatter; heatmap: x and y are categories, value is colour; bar. */
  readonly kind: 'line' | 'point' | 'heatmap' | 'bar';
  readonly x: { readonly title: string; readonly log?: boolean };
  readonly y: { readonly title: string; readonly log?: boolean };
  /** For heatmaps: the colour legend's title. */
  readonly value?: { readonly title: string; readonly log?: boolean };
  readonly points: readonly FigurePoint[];
  /** line only: join the points in the order given, a trajectory, instead of sorting by x. */
  readonly path?: boolean;
  /** A sentence under the chart: what to look at. */
  readonly caption?: string;
}

export interface FigurePoint {
  readonly series: string;
  readonly x: number | string;
  readonly y: number | string;
  readonly value?: number;
}

/** A small table for the report: header row and rows of cells. */
export interface StudyTable {
  readonly id: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

export interface StudyOutcome {
  readonly checks: readonly CheckResult[];
  readonly figures: readonly StudyFigure[];
  readonly tables?: readonly StudyTable[];
}

/** Relative difference |a - b| / |b|, the measure every tolerance check in a study uses. */
export function relativeDifference(measured: number, expected: number): number {
  if (expected === 0) return Math.abs(measured);
  return Math.abs(measured - expected) / Math.abs(expected);
}
