import type { FirstProblem, StepDiagnostics, Verdict } from '../diagnostics/types.js';
import type { ExperimentSpec } from '../spec/schema.js';
import type { PretrainedLayer } from './pretrain.js';

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
  /** Loss (and accuracy) of the trained network in inference mode on up to 1,024 examples. */
  readonly evaluation: {
    readonly loss: number;
    readonly accuracy: number | null;
    readonly samples: number;
    /**
     * The MSE of predicting the mean target, in closed form for the data generator (the adding
     * problem: 1/6), beside which the MSE loss says whether the network learned anything; null
     * where the generator has no closed form.
     */
    readonly baseline: number | null;
  } | null;
  /** Layer-wise pre-training, if the spec asked for it: reconstruction loss per layer. */
  readonly pretraining: readonly PretrainedLayer[];
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
  | {
      readonly type: 'pretrain';
      readonly layer: string;
      readonly step: number;
      readonly loss: number;
    }
  | { readonly type: 'finished'; readonly result: RunResult };

export type RunListener = (event: RunEvent) => void | Promise<void>;
