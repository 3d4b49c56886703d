/**
 * Per-layer diagnostics of trainStep against gradients computed independently, in Float64 plain
 * JavaScript, on the same weights and the same batch.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type {
  Activation,
  ExperimentSpecInput,
  GradModel,
  LossKind,
  StepDiagnostics,
  StepMode,
} from '../index.js';
import {
  addRow,
  assign,
  columnSums,
  expectClose,
  type Fixture,
  fixture,
  flat,
  type Matrix,
  matmul,
  mean,
  norm,
  readMatrix,
  std,
  stepOnce,
  transpose,
  useCpu,
  zip,
} from '../test-support.js';

beforeAll(useCpu);

const LR = 0.1;

// ---- Reference MLP (Float64) ----

interface RefLayer {
  W: Matrix;
  b: number[];
  activation: Activation | null;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function activate(name: Activation, z: number): number {
  switch (name) {
    case 'linear':
      return z;
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      return sigmoid(z);
    case 'relu':
      return Math.max(0, z);
    default:
      throw new Error(`no reference for ${name}`);
  }
}

function slope(name: Activation, z: number): number {
  switch (name) {
    case 'linear':
      return 1;
    case 'tanh':
      return 1 - Math.tanh(z) ** 2;
    case 'sigmoid':
      return sigmoid(z) * (1 - sigmoid(z));
    case 'relu':
      return z > 0 ? 1 : 0;
    default:
      throw new Error(`no reference for ${name}`);
  }
}

interface Reference {
  loss: number;
  output: Matrix;
  pre: Matrix[];
  post: Matrix[];
  dW: Matrix[];
  db: number[][];
  /** dL/dh at each hidden layer's output. */
  signal: Matrix[];
}

/** Loss and dL/d(output) of the batch. */
function lossAndGrad(kind: LossKind, out: Matrix, y: Matrix): { loss: number; dOut: Matrix } {
  const n = out.length;
  if (kind === 'mse') {
    const count = n * (out[0] as number[]).length;
    const diff = zip(out, y, (o, t) => o - t);
    return {
      loss: flat(diff).reduce((s, d) => s + d * d, 0) / count,
      dOut: diff.map((r) => r.map((d) => (2 * d) / count)),
    };
  }
  let loss = 0;
  const dOut = out.map((row, b) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const total = e.reduce((s, v) => s + v, 0);
    const p = e.map((v) => v / total);
    const t = y[b] as number[];
    loss -= t.reduce((s, ti, j) => s + ti * Math.log(p[j] as number), 0) / n;
    return p.map((pj, j) => (pj - (t[j] as number)) / n);
  });
  return { loss, dOut };
}

function referenceMlp(layers: RefLayer[], x: Matrix, y: Matrix, kind: LossKind): Reference {
  const inputs: Matrix[] = [];
  const pre: Matrix[] = [];
  const post: Matrix[] = [];
  let h = x;
  for (const layer of layers) {
    inputs.push(h);
    const z = addRow(matmul(h, layer.W), layer.b);
    if (layer.activation === null) {
      h = z;
      break;
    }
    const act = layer.activation;
    pre.push(z);
    h = z.map((r) => r.map((v) => activate(act, v)));
    post.push(h);
  }
  const { loss, dOut } = lossAndGrad(kind, h, y);
  const dW: Matrix[] = [];
  const db: number[][] = [];
  const signal: Matrix[] = [];
  let d = dOut;
  for (let l = layers.length - 1; l >= 0; l--) {
    dW[l] = matmul(transpose(inputs[l] as Matrix), d);
    db[l] = columnSums(d);
    if (l === 0) break;
    const dh = matmul(d, transpose((layers[l] as RefLayer).W));
    signal[l - 1] = dh;
    const act = (layers[l - 1] as RefLayer).activation as Activation;
    d = zip(dh, pre[l - 1] as Matrix, (g, z) => g * slope(act, z));
  }
  return { loss, output: h, pre, post, dW, db, signal };
}

async function refLayers(model: GradModel): Promise<RefLayer[]> {
  return Promise.all(
    model.layers.map(async (g) => ({
      W: await readMatrix(g.kernel),
      b: Array.from(await (g.bias as tf.Variable).data()),
      activation: g.activation,
    })),
  );
}

async function step(c: Fixture, mode: StepMode = 'full'): Promise<StepDiagnostics | null> {
  return (await stepOnce(c, mode, { optimizer: { kind: 'sgd', lr: LR } })).diagnostics;
}

/** Fraction of the values for which `pred` holds. */
const fraction = (values: number[], pred: (v: number) => boolean) =>
  values.filter(pred).length / values.length;

/** A fraction measured in float32: a few ulps off at most, where one miscount is >= 1%. */
const expectFraction = (actual: number | null | undefined, expected: number) =>
  expectClose(actual, expected, 1e-6, 0);

/** Discrete statistics (saturation, dead units) flip if a value sits on the threshold. */
function expectAwayFrom(values: number[], threshold: number, margin = 1e-4): void {
  for (const v of values) expect(Math.abs(v - threshold)).toBeGreaterThan(margin);
}

/** Every gradient measurement of every layer equals the reference. */
function expectGradients(d: StepDiagnostics, layers: RefLayer[], ref: Reference): void {
  const gradNorms = ref.dW.map(norm);
  layers.forEach((layer, l) => {
    const got = d.layers[l];
    expectClose(got?.gradNorm, gradNorms[l] as number);
    expectClose(got?.biasGradNorm, norm(ref.db[l] as number[]));
    if (d.full) {
      expectClose(got?.weightNorm, norm(layer.W));
      expectClose(got?.gradToWeight, (gradNorms[l] as number) / norm(layer.W));
    } else {
      // Between full steps the weight norms are not measured (they would double the cost).
      expect(got?.weightNorm).toBeNull();
      expect(got?.gradToWeight).toBeNull();
    }
    expectClose(got?.ratioToLast, (gradNorms[l] as number) / (gradNorms.at(-1) as number));
    expect(got?.nonFinite).toBe(0);
  });
  const all = [...ref.dW.flatMap(flat), ...ref.db.flat()];
  expectClose(d.globalGradNorm, norm(all));
  expectClose(d.loss, ref.loss);
}

describe('MLP diagnostics against a Float64 reference', () => {
  const tanhNet: Partial<ExperimentSpecInput> = {
    model: {
      kind: 'mlp',
      depth: 3,
      width: 5,
      activation: 'tanh',
      init: { kind: 'normal', std: 0.8 },
    },
    training: { batchSize: 8 },
  };

  test('a linear net with constant weights, by hand', async () => {
    // W1 = c (4x3), W2 = c (3x2), zero biases: each hidden unit is c * s_b with s_b = sum_i x_bi,
    // each output is 3 c^2 s_b, and dL/dW2[u][j] = c * sum_b s_b * dL/dout_bj for every u.
    const c = 0.3;
    const k = 3;
    const net = await fixture({
      model: {
        kind: 'mlp',
        depth: 2,
        width: k,
        activation: 'linear',
        init: { kind: 'constant', value: c },
      },
    });
    const s = net.x.map((row) => row.reduce((a, v) => a + v, 0));
    const n = net.y.length * 2;
    const dOut = net.y.map((t, b) => t.map((tj) => (2 * (k * c * c * (s[b] as number) - tj)) / n));
    const perColumn = [0, 1].map(
      (j) => c * s.reduce((a, sb, b) => a + sb * ((dOut[b] as number[])[j] as number), 0),
    );
    const d = (await step(net)) as StepDiagnostics;
    expectClose(d.layers[1]?.gradNorm, Math.sqrt(k) * norm(perColumn));
    expectClose(d.layers[1]?.weightNorm, c * Math.sqrt(k * 2));
    expectClose(d.layers[1]?.biasGradNorm, norm(columnSums(dOut)));
    // Hidden activations: c * s_b in every unit.
    const hidden = s.map((sb) => c * sb);
    expectClose(d.layers[0]?.activationMean, mean(hidden), 1e-5, 1e-6);
    expectClose(d.layers[0]?.activationStd, std(hidden));
    net.model.dispose();
  });

  test('tanh: gradient norms, ratios, update ratios, activations, saturation, signal', async () => {
    const net = await fixture(tanhNet);
    const layers = await refLayers(net.model);
    const ref = referenceMlp(layers, net.x, net.y, 'mse');
    const d = (await step(net)) as StepDiagnostics;

    expect(d.full).toBe(true);
    expect(d.step).toBe(1);
    expect(d.accuracy).toBeNull();
    expect(d.layers.map((l) => l.name)).toEqual(['dense1', 'dense2', 'output']);
    expectGradients(d, layers, ref);
    expect(d.layers[2]?.ratioToLast).toBe(1);

    // SGD: ||W_after - W_before|| = lr * ||dL/dW||, and the kernels moved by exactly that.
    for (const [l, layer] of layers.entries()) {
      expectClose(d.layers[l]?.updateToWeight, (LR * norm(ref.dW[l] as Matrix)) / norm(layer.W));
      const after = flat(await readMatrix(net.model.layers[l]?.kernel as tf.Variable));
      const expected = zip(layer.W, ref.dW[l] as Matrix, (w, g) => w - LR * g);
      for (const [i, v] of after.entries()) expectClose(v, flat(expected)[i] as number, 1e-5, 1e-6);
    }

    for (const l of [0, 1]) {
      const post = ref.post[l] as Matrix;
      const slopes = flat(post).map((a) => 1 - a * a);
      expectAwayFrom(slopes, 0.05);
      expectClose(d.layers[l]?.activationMean, mean(flat(post)), 1e-5, 1e-6);
      expectClose(d.layers[l]?.activationStd, std(flat(post)));
      expectFraction(
        d.layers[l]?.saturation,
        fraction(flat(post), (a) => 1 - a * a < 0.05),
      );
      expect(d.layers[l]?.deadFraction).toBeNull(); // tanh units do not die
    }
    expect(d.layers[2]).toMatchObject({
      activationMean: null,
      activationStd: null,
      saturation: null,
      deadFraction: null,
    });

    const signalNorms = ref.signal.map(norm);
    expect(d.signal?.labels).toEqual(['dense1', 'dense2']);
    for (const [i, n] of signalNorms.entries()) expectClose(d.signal?.norms[i], n);
    expectClose(
      d.signal?.ratioFirstToLast,
      (signalNorms[0] as number) / (signalNorms[1] as number),
    );
    net.model.dispose();
  });

  test('a deep sigmoid net whose gradients are ~1e-25: every norm is its float64 value', async () => {
    // Twelve sigmoid layers with weights of 0.01: each layer passes about 1/4 * 0.01 * sqrt(8)
    // of the gradient on, so the first layers' gradients are far below 1e-19, where their
    // squares underflow float32. The norms must still be the true ones, not 0.
    const net = await fixture({
      model: {
        kind: 'mlp',
        depth: 12,
        width: 8,
        activation: 'sigmoid',
        init: { kind: 'normal', std: 0.01 },
      },
    });
    const layers = await refLayers(net.model);
    const ref = referenceMlp(layers, net.x, net.y, 'mse');
    // The test means something: the naive sqrt(sum(g^2)) of the first layer is 0 in float32.
    const firstMax = Math.max(...flat(ref.dW[0] as Matrix).map(Math.abs));
    expect(firstMax).toBeLessThan(1e-19);
    expect(Math.fround(firstMax * firstMax)).toBe(0);
    const d = (await step(net)) as StepDiagnostics;
    // Relative only: an absolute slack would let 0 pass for 1e-25.
    layers.forEach((_, l) => {
      expect(d.layers[l]?.gradNorm).toBeGreaterThan(0);
      expectClose(d.layers[l]?.gradNorm, norm(ref.dW[l] as Matrix), 1e-5, 0);
      expectClose(d.layers[l]?.biasGradNorm, norm(ref.db[l] as number[]), 1e-5, 0);
    });
    for (const [i, s] of ref.signal.entries()) expectClose(d.signal?.norms[i], norm(s), 1e-5, 0);
    expectClose(
      d.layers[0]?.ratioToLast,
      norm(ref.dW[0] as Matrix) / norm(ref.dW.at(-1) as Matrix),
      1e-5,
      0,
    );
    net.model.dispose();
  });

  test('the saturation of a sigmoid net with large weights', async () => {
    const net = await fixture({
      model: {
        kind: 'mlp',
        depth: 2,
        width: 8,
        activation: 'sigmoid',
        init: { kind: 'normal', std: 3 },
      },
    });
    const layers = await refLayers(net.model);
    const ref = referenceMlp(layers, net.x, net.y, 'mse');
    const d = (await step(net)) as StepDiagnostics;
    expectGradients(d, layers, ref);
    const post = ref.post[0] as Matrix;
    const slopes = flat(post).map((a) => 4 * a * (1 - a));
    expectAwayFrom(slopes, 0.05);
    const saturated = fraction(flat(post), (a) => 4 * a * (1 - a) < 0.05);
    expect(saturated).toBeGreaterThan(0.1); // the test means something
    expect(saturated).toBeLessThan(0.9);
    expectFraction(d.layers[0]?.saturation, saturated);
    net.model.dispose();
  });

  test('dead ReLU units and softmax cross-entropy with accuracy', async () => {
    const net = await fixture({
      data: { kind: 'teacher', task: 'classification', inputSize: 4, outputSize: 3, samples: 32 },
      model: { kind: 'mlp', depth: 3, width: 6, activation: 'relu', init: 'he-normal' },
    });
    // Kill units 0 and 3 of the first layer and unit 5 of the second: a zero weight column and
    // a negative bias make their pre-activation negative for every example.
    const [first, second] = net.model.layers as [
      GradModel['layers'][number],
      GradModel['layers'][number],
    ];
    const w1 = (await readMatrix(first.kernel)).map((r) =>
      r.map((v, j) => (j === 0 || j === 3 ? 0 : v)),
    );
    assign(first.kernel, w1);
    assign(first.bias as tf.Variable, [-1, 0.1, 0.1, -1, 0.1, 0.1]);
    const w2 = (await readMatrix(second.kernel)).map((r) => r.map((v, j) => (j === 5 ? 0 : v)));
    assign(second.kernel, w2);
    assign(second.bias as tf.Variable, [0, 0, 0, 0, 0, -2]);

    const layers = await refLayers(net.model);
    const ref = referenceMlp(layers, net.x, net.y, 'softmax-cross-entropy');
    const d = (await step(net)) as StepDiagnostics;
    expectGradients(d, layers, ref);

    for (const l of [0, 1]) {
      const pre = ref.pre[l] as Matrix;
      // Exact zeros (an example whose inputs are all dead) are exact in float32 too.
      expectAwayFrom(
        flat(pre).filter((z) => z !== 0),
        0,
      );
      const dead = fraction(
        transpose(pre).map((unit) => Math.max(...unit)),
        (m) => m <= 0,
      );
      expectFraction(d.layers[l]?.deadFraction, dead);
      expect(d.layers[l]?.saturation).toBeNull();
    }
    expect(d.layers[0]?.deadFraction).toBeGreaterThanOrEqual(2 / 6 - 1e-6);
    expect(d.layers[1]?.deadFraction).toBeGreaterThanOrEqual(1 / 6 - 1e-6);

    const argmax = (r: number[]) => r.indexOf(Math.max(...r));
    const correct = ref.output.filter((r, b) => argmax(r) === argmax(net.y[b] as number[])).length;
    expect(d.accuracy).toBe(correct / net.y.length);
    net.model.dispose();
  });

  test('"norms" steps measure gradients only; "bare" steps only the loss', async () => {
    const net = await fixture(tanhNet);
    const layers = await refLayers(net.model);
    const ref = referenceMlp(layers, net.x, net.y, 'mse');
    const d = (await step(net, 'norms')) as StepDiagnostics;
    expect(d.full).toBe(false);
    expectGradients(d, layers, ref);
    for (const l of d.layers) {
      expect(l).toMatchObject({
        updateToWeight: null,
        activationMean: null,
        activationStd: null,
        saturation: null,
      });
    }
    expect(d.signal).toBeNull();

    // The norms step updated the weights: a bare step sees the new ones.
    const updated = await refLayers(net.model);
    expectClose(
      updated[0]?.W[0]?.[0],
      (layers[0]?.W[0]?.[0] as number) - LR * (ref.dW[0]?.[0]?.[0] as number),
      1e-5,
      1e-6,
    );
    expect(await step(net, 'bare')).toBeNull();
    const after = await refLayers(net.model);
    const second = referenceMlp(updated, net.x, net.y, 'mse');
    expectClose(
      after[2]?.b[0],
      (updated[2]?.b[0] as number) - LR * (second.db[2]?.[0] as number),
      1e-5,
      1e-6,
    );
    net.model.dispose();
  });
});

// ---- Reference plain RNN (Float64), backpropagation through time ----

describe('RNN diagnostics against a Float64 reference', () => {
  test('gradient norms of the input, recurrent and output kernels, and the signal per step', async () => {
    const T = 4;
    const net = await fixture({
      data: { kind: 'adding', length: T, samples: 16 },
      model: {
        kind: 'rnn',
        hiddenSize: 3,
        activation: 'tanh',
        recurrentInit: { kind: 'normal', std: 0.7 },
      },
      training: { batchSize: 4 },
    });
    const [cellIn, cellRec, out] = net.model.layers as [
      GradModel['layers'][number],
      GradModel['layers'][number],
      GradModel['layers'][number],
    ];
    const W = await readMatrix(cellIn.kernel);
    const b = Array.from(await (cellIn.bias as tf.Variable).data());
    const U = await readMatrix(cellRec.kernel);
    const V = await readMatrix(out.kernel);
    const c = Array.from(await (out.bias as tf.Variable).data());
    // x rows are [t0f0, t0f1, t1f0, ...]; xs[t] is [batch, 2].
    const xs = Array.from({ length: T }, (_, t) => net.x.map((r) => r.slice(2 * t, 2 * t + 2)));

    const hs: Matrix[] = [net.x.map(() => [0, 0, 0])];
    for (let t = 0; t < T; t++) {
      const z = addRow(
        zip(matmul(xs[t] as Matrix, W), matmul(hs[t] as Matrix, U), (p, q) => p + q),
        b,
      );
      hs.push(z.map((r) => r.map(Math.tanh)));
    }
    const output = addRow(matmul(hs[T] as Matrix, V), c);
    const { loss, dOut } = lossAndGrad('mse', output, net.y);
    const dV = matmul(transpose(hs[T] as Matrix), dOut);
    const dc = columnSums(dOut);
    let dh = matmul(dOut, transpose(V));
    const signal: Matrix[] = [];
    let dW = W.map((r) => r.map(() => 0));
    let dU = U.map((r) => r.map(() => 0));
    let db = b.map(() => 0);
    for (let t = T; t >= 1; t--) {
      signal[t - 1] = dh;
      const dz = zip(dh, hs[t] as Matrix, (g, h) => g * (1 - h * h));
      dW = zip(dW, matmul(transpose(xs[t - 1] as Matrix), dz), (p, q) => p + q);
      dU = zip(dU, matmul(transpose(hs[t - 1] as Matrix), dz), (p, q) => p + q);
      db = db.map((v, j) => v + (columnSums(dz)[j] as number));
      dh = matmul(dz, transpose(U));
    }

    const d = (await step(net)) as StepDiagnostics;
    expectClose(d.loss, loss);
    expect(d.layers.map((l) => l.name)).toEqual(['rnn.input', 'rnn.recurrent', 'output']);
    const [input, recurrent, last] = d.layers;
    expectClose(input?.gradNorm, norm(dW));
    expectClose(input?.biasGradNorm, norm(db));
    expectClose(recurrent?.gradNorm, norm(dU));
    expect(recurrent?.biasGradNorm).toBeNull();
    expectClose(recurrent?.weightNorm, norm(U));
    expectClose(last?.gradNorm, norm(dV));
    expectClose(last?.biasGradNorm, norm(dc));
    expectClose(recurrent?.ratioToLast, norm(dU) / norm(dV));
    expectClose(d.globalGradNorm, norm([...flat(dW), ...db, ...flat(dU), ...flat(dV), ...dc]));

    const states = hs.slice(1).flatMap(flat);
    expectClose(recurrent?.activationMean, mean(states), 1e-5, 1e-6);
    expectClose(recurrent?.activationStd, std(states));
    expectAwayFrom(
      states.map((h) => 1 - h * h),
      0.05,
    );
    expectFraction(
      recurrent?.saturation,
      fraction(states, (h) => 1 - h * h < 0.05),
    );
    expect(input?.activationMean).toBeNull();

    expect(d.signal?.labels).toEqual(['t=1', 't=2', 't=3', 't=4']);
    for (const [t, s] of signal.entries()) expectClose(d.signal?.norms[t], norm(s));
    expectClose(
      d.signal?.ratioFirstToLast,
      norm(signal[0] as Matrix) / norm(signal[T - 1] as Matrix),
    );
    net.model.dispose();
  });
});
