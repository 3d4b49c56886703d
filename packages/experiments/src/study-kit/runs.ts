import { GradlabError, type StepDiagnostics } from '@gradlab/core';
import type { TrainedRun } from '../study.js';

/** The steps that measured everything (activation statistics, the backpropagated signal). */
export function fullSteps(run: TrainedRun): StepDiagnostics[] {
  return run.steps.filter((s) => s.full);
}

/**
 * The diagnostics of step 1, measured before the first update: the network as initialised
 * (or as pre-trained). Every run measures step 1 in full.
 */
export function firstStep(run: TrainedRun): StepDiagnostics {
  const first = run.steps[0];
  if (first?.step !== 1 || !first.full) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `run "${run.label}" has no full diagnostics of step 1; a study needs them to measure the network as initialised`,
    );
  }
  return first;
}

/** ||dL/dh|| per hidden layer, input side first, of a full-diagnostic step. */
export function signalNorms(step: StepDiagnostics, label: string): readonly number[] {
  if (!step.signal) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `run "${label}" measured no backpropagated signal at step ${step.step}`,
    );
  }
  return step.signal.norms;
}

/** Accuracy of the trained network in inference mode (classification runs). */
export function finalAccuracy(run: TrainedRun): number {
  const accuracy = run.result.evaluation?.accuracy;
  if (accuracy === null || accuracy === undefined) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `run "${run.label}" has no evaluation accuracy: it must complete on a classification task`,
    );
  }
  return accuracy;
}

/** Loss of the trained network in inference mode (BatchNorm on its running statistics). */
export function finalLoss(run: TrainedRun): number {
  const loss = run.result.evaluation?.loss;
  if (loss === null || loss === undefined) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `run "${run.label}" has no evaluation: it did not complete`,
    );
  }
  return loss;
}
