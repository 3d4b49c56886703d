import {
  type ExperimentSpec,
  GradlabError,
  parseSpec,
  type RunListener,
  runExperiment,
  type StepDiagnostics,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { StudyContext, TrainedRun } from '../study.js';

/**
 * Extra listeners for one training run of a study (the CLI records each run on disk with them).
 * Called once per run, before it starts, with its label and the validated spec it will train.
 */
export type ListenersFor = (
  label: string,
  spec: ExperimentSpec,
) => readonly RunListener[] | Promise<readonly RunListener[]>;

export interface StudyContextOptions {
  readonly signal?: AbortSignal;
  readonly progress?: StudyContext['progress'];
  readonly listenersFor?: ListenersFor;
  /** Called after each training run with what the study got back. */
  readonly onTrained?: (run: TrainedRun) => void | Promise<void>;
}

/** The context a study runs in, on the tfjs backend that is active now. */
export function createStudyContext(options: StudyContextOptions = {}): StudyContext {
  const signal = options.signal;
  return {
    backend: tf.getBackend(),
    ...(signal ? { signal } : {}),
    progress: options.progress ?? (() => {}),
    train: async (label, input) => {
      const spec = parseSpec(input, `study run "${label}"`);
      const losses: number[] = [];
      const steps: StepDiagnostics[] = [];
      const collect: RunListener = (e) => {
        if (e.type !== 'step') return;
        losses.push(e.loss);
        if (e.diagnostics) steps.push(e.diagnostics);
      };
      const extra = (await options.listenersFor?.(label, spec)) ?? [];
      const result = await runExperiment(spec, {
        listeners: [collect, ...extra],
        ...(signal ? { signal } : {}),
      });
      if (result.status === 'cancelled') {
        throw new GradlabError('RUN_CANCELLED', `study run "${label}" was cancelled`);
      }
      const run: TrainedRun = { label, spec, result, losses, steps };
      await options.onTrained?.(run);
      return run;
    },
  };
}
