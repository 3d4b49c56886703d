import * as tf from '@tensorflow/tfjs-core';
import { loadDataset, meanPredictorMse } from '../data/index.js';
import type { StepDiagnostics } from '../diagnostics/types.js';
import { GradlabError } from '../errors.js';
import { clipTransform } from '../mitigate/clip.js';
import { learningRateAt, setLearningRate } from '../mitigate/schedule.js';
import type { GradientTransform } from '../mitigate/transform.js';
import { buildModel } from '../model/index.js';
import { type ExperimentSpec, isClassification, lossOf } from '../spec/schema.js';
import { batchSampler } from './batches.js';
import { evaluate } from './evaluate.js';
import type { RunEvent, RunListener, RunResult, RunStatus } from './events.js';
import { createOptimizer } from './optimizer.js';
import { type PretrainedLayer, pretrainLayers } from './pretrain.js';
import { medianStepMs, problemTracker } from './problem-tracker.js';
import { type StepMode, trainStep } from './step.js';

export interface RunOptions {
  /** Cancels the run between steps; the result then has status "cancelled". */
  readonly signal?: AbortSignal;
  readonly listeners?: readonly RunListener[];
  /** Overrides spec.training.steps. */
  readonly steps?: number;
  readonly transforms?: readonly GradientTransform[];
  /**
   * "diagnostics" (default): gradient norms every step, full diagnostics every
   * spec.diagnostics.every steps and on the first and last. "bare": loss only, to measure
   * what the diagnostics cost.
   */
  readonly mode?: 'diagnostics' | 'bare';
}

/** Adds what the host knows of a step (the learning rate) to the device's telemetry. */
function withHostTelemetry(d: StepDiagnostics, lr: number): StepDiagnostics {
  return { ...d, telemetry: { ...d.telemetry, lr } };
}

/**
 * Runs an experiment on the tfjs backend that is active now (select it first with
 * `useBackend`). Data and initial weights come from the spec's seed on the host, so every
 * backend starts from the same numbers. Every tensor the run creates is disposed when it ends,
 * however it ends.
 */
export async function runExperiment(
  spec: ExperimentSpec,
  options: RunOptions = {},
): Promise<RunResult> {
  const t0 = performance.now();
  const steps = options.steps ?? spec.training.steps;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new GradlabError('INVALID_ARGUMENT', `steps must be a positive integer; got ${steps}`);
  }
  const listeners = options.listeners ?? [];
  const emit = async (e: RunEvent) => {
    for (const l of listeners) await l(e);
  };
  const backend = tf.getBackend();
  const data = await loadDataset(spec.data, spec.seed);
  const model = buildModel(spec.model, data, spec.seed);
  const optimizer = createOptimizer(spec.training.optimizer);
  const xAll = tf.tensor(data.x, [data.size, ...data.xShape]);
  const yAll = tf.tensor(data.y, [data.size, ...data.yShape]);
  const nextBatch = batchSampler(spec.seed, data.size, spec.training.batchSize);
  const clip = spec.training.clip;
  const ctx = {
    model,
    optimizer,
    loss: lossOf(spec),
    classification: isClassification(spec.data),
    transforms: [...(clip ? [clipTransform(clip)] : []), ...(options.transforms ?? [])],
    thresholds: spec.diagnostics.thresholds,
    regularization: spec.training.regularization,
    weightClip: spec.training.weightClip?.limit ?? null,
  };
  const baseLr = spec.training.optimizer.lr;
  let pretraining: PretrainedLayer[] = [];
  let evaluation: RunResult['evaluation'] = null;
  const every = spec.diagnostics.every;
  const stepTimes: number[] = [];
  const problems = problemTracker();
  let final: StepDiagnostics | null = null;
  let lossFirst: number | null = null;
  let lossLast: number | null = null;
  let completed = 0;
  let status: RunStatus = 'complete';
  let error: string | undefined;
  let result: RunResult | undefined;
  const setupMs = performance.now() - t0;

  const note = async (d: StepDiagnostics) => {
    for (const c of problems.note(d)) await emit({ type: 'verdict', ...c });
  };

  try {
    await emit({
      type: 'start',
      info: {
        spec,
        backend,
        dataset: { name: data.name, size: data.size },
        model: {
          kind: model.kind,
          layers: model.layers.map((g) => g.name),
          parameters: model.variables.reduce((n, v) => n + v.size, 0),
        },
        steps,
      },
    });
    if (spec.training.pretraining) {
      pretraining = await pretrainLayers(
        model,
        xAll,
        spec.training.pretraining,
        spec.training.batchSize,
        spec.seed,
        (layer, step, loss) => emit({ type: 'pretrain', layer, step, loss }),
        options.signal,
      );
    }
    for (let step = 1; step <= steps; step++) {
      if (options.signal?.aborted) {
        status = 'cancelled';
        break;
      }
      const lr = learningRateAt(spec.training.schedule, baseLr, step, steps);
      setLearningRate(optimizer, lr);
      const mode: StepMode =
        options.mode === 'bare'
          ? 'bare'
          : (step - 1) % every === 0 || step === steps
            ? 'full'
            : 'norms';
      const ts = performance.now();
      const idx = tf.tensor1d(nextBatch(), 'int32');
      const xb = tf.gather(xAll, idx);
      const yb = tf.gather(yAll, idx);
      let outcome: Awaited<ReturnType<typeof trainStep>>;
      try {
        outcome = await trainStep(ctx, xb, yb, step, mode);
      } finally {
        tf.dispose([idx, xb, yb]);
      }
      const ms = performance.now() - ts;
      stepTimes.push(ms);
      completed = step;
      lossFirst ??= outcome.loss;
      lossLast = outcome.loss;
      const d = outcome.diagnostics ? withHostTelemetry(outcome.diagnostics, lr) : null;
      // Each transform's own rules (clipping's errorIfNonFinite), now that the step is read.
      if (d) for (const t of ctx.transforms) t.check?.(d.telemetry, step);
      if (d) {
        if (d.full) final = d;
        await note(d);
      } else if (!Number.isFinite(outcome.loss)) {
        problems.nonFinite();
      }
      await emit({ type: 'step', step, loss: outcome.loss, ms, diagnostics: d });
    }
    if (status === 'complete' && completed > 0) {
      evaluation = {
        ...(await evaluate(model, xAll, yAll, ctx.loss, ctx.classification)),
        baseline: meanPredictorMse(spec.data),
      };
    }
  } catch (e) {
    status = 'failed';
    error = e instanceof Error ? e.message : String(e);
    throw e;
  } finally {
    tf.dispose([xAll, yAll]);
    optimizer.dispose();
    model.dispose();
    result = {
      status,
      stepsCompleted: completed,
      backend,
      final,
      verdict: final?.verdict ?? problems.worst,
      worstVerdict: problems.worst,
      firstProblems: problems.firstProblems,
      loss: { first: lossFirst, last: lossLast },
      evaluation,
      pretraining,
      // The first step compiles kernels (and on WASM grows memory): leave it out of the median.
      timings: {
        setupMs,
        totalMs: performance.now() - t0,
        medianStepMs: medianStepMs(stepTimes),
      },
      ...(error ? { error } : {}),
    };
    await emit({ type: 'finished', result });
  }
  return result;
}
