/**
 * Shared helpers of @gradlab/core's unit tests (excluded from the build: see tsconfig.build.json).
 * Tests run on the tfjs CPU backend; importing ./index.js registers tfjs's gradients.
 *
 * useCpu, expectClose, caught and TEST_CPU_BACKEND, the helpers every package's tests share, live
 * in ./testing (the @gradlab/core/testing entry) and are re-exported here; this file keeps what
 * only core's tests use.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  batchSampler,
  buildModel,
  createOptimizer,
  type Dataset,
  DEFAULT_THRESHOLDS,
  type ExperimentSpec,
  type ExperimentSpecInput,
  type GradientTransform,
  type GradModel,
  type LossKind,
  loadDataset,
  type OptimizerSpec,
  parseSpec,
  type StepDiagnostics,
  type StepMode,
  trainStep,
} from './index.js';

export { caught, expectClose, TEST_CPU_BACKEND, useCpu } from './testing/index.js';

/** A valid spec input: a tiny MLP on teacher regression data, with `over` merged on top. */
export function tinySpecInput(over: Partial<ExperimentSpecInput> = {}): ExperimentSpecInput {
  return {
    gradlab: 1,
    seed: 7,
    data: { kind: 'teacher', inputSize: 4, outputSize: 2, samples: 32 },
    model: { kind: 'mlp', depth: 3, width: 6, activation: 'tanh', init: 'xavier-uniform' },
    training: { steps: 5, batchSize: 8 },
    ...over,
  };
}

export function tinySpec(over: Partial<ExperimentSpecInput> = {}): ExperimentSpec {
  return parseSpec(tinySpecInput(over));
}

/** Live tensors and bytes now. */
export function memory(): { numTensors: number; numBytes: number } {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}

// ---- Plain Float64 linear algebra for reference computations ----

export type Matrix = number[][];

export function matmul(a: Matrix, b: Matrix): Matrix {
  const cols = (b[0] as number[]).length;
  return a.map((row) => {
    const out = new Array<number>(cols).fill(0);
    row.forEach((v, k) => {
      const bk = b[k] as number[];
      for (let j = 0; j < cols; j++) out[j] = (out[j] as number) + v * (bk[j] as number);
    });
    return out;
  });
}

export function transpose(a: Matrix): Matrix {
  return (a[0] as number[]).map((_, j) => a.map((row) => row[j] as number));
}

export function addRow(a: Matrix, row: readonly number[]): Matrix {
  return a.map((r) => r.map((v, j) => v + (row[j] as number)));
}

export function zip(a: Matrix, b: Matrix, f: (x: number, y: number) => number): Matrix {
  return a.map((r, i) => r.map((v, j) => f(v, (b[i] as number[])[j] as number)));
}

export function columnSums(a: Matrix): number[] {
  return (a[0] as number[]).map((_, j) => a.reduce((s, r) => s + (r[j] as number), 0));
}

export function flat(a: Matrix | readonly number[]): number[] {
  return (a as (number | number[])[]).flat();
}

export function norm(a: Matrix | readonly number[]): number {
  return Math.sqrt(flat(a).reduce((s, v) => s + v * v, 0));
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((s, v) => s + v, 0) / xs.length;
}

/** Population standard deviation (what tf.moments gives). */
export function std(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((v) => (v - m) ** 2)));
}

/** Rows of a flat row-major array. */
export function rows(data: ArrayLike<number>, cols: number): Matrix {
  const out: Matrix = [];
  for (let i = 0; i < data.length; i += cols) out.push(Array.from(data).slice(i, i + cols));
  return out;
}

/** A 2-D tensor's values as a Float64 matrix. */
export async function readMatrix(t: tf.Tensor): Promise<Matrix> {
  return rows(await t.data(), t.shape[t.shape.length - 1] as number);
}

// ---- A model and a batch, as core builds them, for single training steps ----

export interface Fixture {
  readonly model: GradModel;
  /** One row per example (a sequence's steps side by side); per-example shape `xShape`. */
  readonly x: Matrix;
  readonly xShape: readonly number[];
  readonly y: Matrix;
  readonly classification: boolean;
  readonly loss: LossKind;
}

/** The first batch the run of this seed would draw, as rows. */
export function firstBatch(
  data: Dataset,
  seed: number,
  batchSize: number,
): { x: Matrix; y: Matrix } {
  const f = data.xShape.reduce((a, b) => a * b, 1);
  const k = data.yShape[0] as number;
  const idx = Array.from(batchSampler(seed, data.size, batchSize)());
  return {
    x: idx.map((i) => Array.from(data.x.subarray(i * f, (i + 1) * f))),
    y: idx.map((i) => Array.from(data.y.subarray(i * k, (i + 1) * k))),
  };
}

/** The model of `tinySpec(over)` with the first batch of its data. Dispose `model` after. */
export async function fixture(over: Partial<ExperimentSpecInput> = {}): Promise<Fixture> {
  const spec = tinySpec(over);
  const data = await loadDataset(spec.data, spec.seed);
  const model = buildModel(spec.model, data, spec.seed);
  const { x, y } = firstBatch(data, spec.seed, spec.training.batchSize);
  const classification = data.task === 'classification';
  const loss = classification ? 'softmax-cross-entropy' : 'mse';
  return { model, x, xShape: data.xShape, y, classification, loss };
}

/** Sets a variable to the given values. */
export function assign(v: tf.Variable, values: Matrix | readonly number[]): void {
  tf.tidy(() => v.assign(tf.tensor(flat(values), v.shape)));
}

/** One trainStep of the fixture's model on its batch, with a fresh optimiser. */
export async function stepOnce(
  f: Fixture,
  mode: StepMode,
  o: { optimizer?: OptimizerSpec; transforms?: readonly GradientTransform[] } = {},
): Promise<{ loss: number; diagnostics: StepDiagnostics | null }> {
  const optimizer = createOptimizer(o.optimizer ?? { kind: 'sgd', lr: 0.1 });
  const ctx = {
    model: f.model,
    optimizer,
    loss: f.loss,
    classification: f.classification,
    transforms: o.transforms ?? [],
    thresholds: DEFAULT_THRESHOLDS,
  };
  const x = tf.tensor(flat(f.x), [f.x.length, ...f.xShape]);
  const y = tf.tensor(f.y);
  try {
    return await trainStep(ctx, x, y, 1, mode);
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
  }
}
