import type { FirstProblem, StepDiagnostics, Verdict } from '../diagnostics/types.js';
import type { ExperimentSpec } from '../spec/schema.js';

export interface RunStartInfo {
  readonly spec: ExperimentSpec;
  readonly backend: string;
  readonly dataset: { readonly name: string; readonly size: number };
  readonly model: {
    readonly kind: string;
    readonly layers: readonly string[];
    readonly parameters: number;
  };
  readonly steps: number;
}

export type RunStatus = 'complete' | 'cancelled' | 'failed';

export interface RunResult {
  readonly status: RunStatus;
  readonly stepsCompleted: number;
  readonly backend: string;
  /** The last full-diagnostic step (null if the run stopped before any). */
  readonly final: StepDiagnostics | null;
  /** The verdict of the final full-diagnostic step: the state the network ended in. */
  readonly verdict: Verdict;
  /** The worst verdict of any step. */
  readonly worstVerdict: Verdict;
  /** First appearance of each problem, in order of appearance. */
  readonly firstProblems: readonly FirstProblem[];
  readonly loss: { readonly first: number | null; readonly last: number | null };
  readonly timings: {
    readonly setupMs: number;
    readonly totalMs: number;
    readonly medianStepMs: number | null;
  };
  readonly error?: string;
}

/** Everything a run reports, in order: start, then per step, then finished. */
export type RunEvent =
  | { readonly type: 'start'; readonly info: RunStartInfo }
  | {
      readonly type: 'step';
      readonly step: number;
      readonly loss: number;
      readonly ms: number;
      readonly diagnostics: StepDiagnostics | null;
    }
  | {
      readonly type: 'verdict';
      readonly step: number;
      readonly layer: string;
      readonly from: Verdict;
      readonly to: Verdict;
    }
  | { readonly type: 'finished'; readonly result: RunResult };

export type RunListener = (event: RunEvent) => void | Promise<void>;
