/**
 * Shared helpers of @gradlab/mitigations' tests (excluded from the build). Tests run on the
 * tfjs CPU backend; importing @gradlab/core registers tfjs's gradients. useCpu, expectClose and
 * caught come from @gradlab/testkit/helpers.
 */
import '@tensorflow/tfjs-backend-cpu';
import {
  buildModel,
  createOptimizer,
  DEFAULT_THRESHOLDS,
  type ExperimentSpec,
  type ExperimentSpecInput,
  type GradModel,
  loadDataset,
  lossOf,
  parseSpec,
  type RunEvent,
  type RunResult,
  runExperiment,
  type StepContext,
  trainStep,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** A tiny MLP on teacher regression data, with `over` merged on top. */
export function mlpSpec(over: Partial<ExperimentSpecInput> = {}): ExperimentSpec {
  return parseSpec({
    gradlab: 1,
    name: 'tiny-mlp',
    seed: 3,
    data: { kind: 'teacher', inputSize: 6, outputSize: 2, samples: 64 },
    model: { kind: 'mlp', depth: 4, width: 8, activation: 'tanh', init: 'xavier-uniform' },
    training: { steps: 4, batchSize: 16, optimizer: { kind: 'sgd', lr: 0.05 } },
    diagnostics: { every: 1 },
    ...over,
  });
}

/** A tiny recurrent net on the adding problem. */
export function rnnSpec(
  over: Partial<ExperimentSpecInput> = {},
  kind: 'rnn' | 'lstm' | 'gru' = 'rnn',
): ExperimentSpec {
  return parseSpec({
    gradlab: 1,
    name: 'tiny-rnn',
    seed: 3,
    data: { kind: 'adding', length: 8, samples: 64 },
    model: { kind, hiddenSize: 8 },
    training: { steps: 3, batchSize: 16, optimizer: { kind: 'adam', lr: 0.01 } },
    diagnostics: { every: 1 },
    ...over,
  });
}

/** Runs a spec and collects its events. */
export async function run(
  spec: ExperimentSpec,
  options: Parameters<typeof runExperiment>[1] = {},
): Promise<{ result: RunResult; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const result = await runExperiment(spec, {
    ...options,
    listeners: [...(options.listeners ?? []), (e) => void events.push(e)],
  });
  return { result, events };
}

/** The model of a spec, with the data set's first `n` examples as tensors. Dispose all after. */
export async function modelOf(
  spec: ExperimentSpec,
  n = 16,
): Promise<{ model: GradModel; x: tf.Tensor; y: tf.Tensor; dispose: () => void }> {
  const data = await loadDataset(spec.data, spec.seed);
  const model = buildModel(spec.model, data, spec.seed);
  const f = data.xShape.reduce((a, b) => a * b, 1);
  const k = data.yShape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(data.x.slice(0, n * f), [n, ...data.xShape]);
  const y = tf.tensor(data.y.slice(0, n * k), [n, ...data.yShape]);
  return {
    model,
    x,
    y,
    dispose: () => {
      model.dispose();
      tf.dispose([x, y]);
    },
  };
}

/** A training-step context for a spec's model (what runExperiment builds). */
export function stepContext(
  spec: ExperimentSpec,
  model: GradModel,
  over: Partial<StepContext> = {},
): StepContext {
  return {
    model,
    optimizer: createOptimizer(spec.training.optimizer),
    loss: lossOf(spec),
    classification: false,
    transforms: [],
    thresholds: DEFAULT_THRESHOLDS,
    regularization: spec.training.regularization,
    weightClip: spec.training.weightClip?.limit ?? null,
    ...over,
  };
}

export { trainStep };

/** Runs `fn` and fails if it leaves tensors behind. */
export async function noLeak<T>(fn: () => Promise<T> | T): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  expect(tf.memory().numTensors, 'live tensors after vs before').toBe(before);
  return out;
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s / xs.length;
}

/** Population variance. */
export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += ((xs[i] as number) - m) ** 2;
  return s / xs.length;
}

/** Deep-freezes a value, so any mutation throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
