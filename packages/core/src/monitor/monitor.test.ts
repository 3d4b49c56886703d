import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createGradientMonitor, GradlabError, type MonitoredLayer } from '../index.js';
import {
  caught,
  expectClose,
  flat,
  mean,
  memory,
  norm,
  readMatrix,
  std,
  useCpu,
} from '../test-support.js';

beforeAll(useCpu);

/** 4 -> dense(6, tanh) -> dense(5, relu) -> dense(2), and a fixed batch for it. */
function setup() {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 6, inputShape: [4], activation: 'tanh', name: 'hidden1' }),
      tfl.layers.dense({ units: 5, activation: 'relu', name: 'hidden2' }),
      tfl.layers.dense({ units: 2, name: 'out' }),
    ],
  });
  const x = tf.randomNormal([8, 4], 0, 1, 'float32', 1);
  const y = tf.randomNormal([8, 2], 0, 1, 'float32', 2);
  const lossFn = () => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar;
  return { model, x, y, lossFn };
}

/**
 * tfjs keeps copies of the tensors a gradient tape saves for backprop and frees them only when
 * the backward pass runs: a function that throws inside tf.engine().gradients leaves them on
 * the abandoned tape. That is tfjs's own leak; free it to count only the monitor's tensors.
 */
function disposeAbandonedTape(): void {
  const state = (
    tf.engine() as unknown as { state: { activeTape: { saved?: tf.Tensor[] }[] | null } }
  ).state;
  for (const node of state.activeTape ?? []) tf.dispose(node.saved ?? []);
  state.activeTape = null;
}

let current: ReturnType<typeof setup> | null = null;
function fresh() {
  current = setup();
  return current;
}
afterEach(() => {
  if (!current) return;
  current.model.dispose();
  tf.dispose([current.x, current.y]);
  current = null;
});

/** Gradients of every trainable weight, by tf.variableGrads, as plain arrays. */
async function independentGrads(
  m: ReturnType<typeof setup>,
): Promise<{ loss: number; grads: Map<string, number[]> }> {
  const variables = m.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(m.lossFn, variables);
  const out = new Map<string, number[]>();
  for (const [name, g] of Object.entries(grads)) out.set(name, Array.from(await g.data()));
  const loss = (await value.data())[0] as number;
  tf.dispose([value, ...Object.values(grads)]);
  return { loss, grads: out };
}

/** [kernel, bias] variable names of each layer. */
const weightNames = (m: ReturnType<typeof setup>) =>
  m.model.layers.map(
    (l) => l.trainableWeights.map((w) => (w.read() as tf.Variable).name) as [string, string],
  );

describe('createGradientMonitor on a Sequential model', () => {
  test('finds each layer with its kernel, bias and activation', () => {
    const m = fresh();
    const monitor = createGradientMonitor(m.model);
    expect(monitor.layers.map((l) => [l.name, l.activation])).toEqual([
      ['hidden1', 'tanh'],
      ['hidden2', 'relu'],
      ['out', 'linear'],
    ]);
    monitor.layers.forEach((l, i) => {
      const [kernel, bias] = weightNames(m)[i] as [string, string];
      expect(l.kernel.name).toBe(kernel);
      expect(l.bias?.name).toBe(bias);
    });
  });

  test.each(['lossFn', 'x, y and loss'])(
    'with %s, gradNorm equals the norm of tf.variableGrads',
    async (how) => {
      const m = fresh();
      const reference = await independentGrads(m);
      const before = await readMatrix(m.model.layers[0]?.getWeights()[0] as tf.Tensor);
      const monitor = createGradientMonitor(m.model);
      const d = await monitor.step(
        how === 'lossFn'
          ? { lossFn: m.lossFn }
          : { x: m.x, y: m.y, loss: tf.losses.meanSquaredError },
      );
      expectClose(d.loss, reference.loss);
      const all: number[] = [];
      d.layers.forEach((l, i) => {
        const [kernel, bias] = weightNames(m)[i] as [string, string];
        const gk = reference.grads.get(kernel) as number[];
        const gb = reference.grads.get(bias) as number[];
        all.push(...gk, ...gb);
        expectClose(l.gradNorm, norm(gk));
        expectClose(l.biasGradNorm, norm(gb));
        expect(l.nonFinite).toBe(0);
        expect(l.updateToWeight).toBeNull();
      });
      expectClose(d.globalGradNorm, norm(all));
      expectClose(
        d.layers[0]?.ratioToLast,
        (d.layers[0]?.gradNorm as number) / (d.layers[2]?.gradNorm as number),
      );
      // Without an optimiser the weights do not move.
      expect(await readMatrix(m.model.layers[0]?.getWeights()[0] as tf.Tensor)).toEqual(before);
    },
  );

  test('with x, y and loss, reports the activation statistics of every layer', async () => {
    const m = fresh();
    const monitor = createGradientMonitor(m.model);
    const d = await monitor.step({ x: m.x, y: m.y, loss: tf.losses.meanSquaredError });
    const h1 = m.model.layers[0]?.apply(m.x) as tf.Tensor;
    const h2 = m.model.layers[1]?.apply(h1) as tf.Tensor;
    const out = m.model.layers[2]?.apply(h2) as tf.Tensor;
    const [a1, a2, a3] = await Promise.all([h1, h2, out].map(readMatrix));
    tf.dispose([h1, h2, out]);
    [a1, a2, a3].forEach((a, i) => {
      expectClose(d.layers[i]?.activationMean, mean(flat(a as number[][])), 1e-5, 1e-6);
      expectClose(d.layers[i]?.activationStd, std(flat(a as number[][])));
    });
    const saturated = flat(a1 as number[][]).filter((v) => 1 - v * v < 0.05).length / 48;
    expectClose(d.layers[0]?.saturation, saturated, 1e-6, 0);
    const dead = (await Promise.resolve(a2 as number[][]))[0]?.map((_, j) =>
      (a2 as number[][]).every((r) => (r[j] as number) <= 0),
    );
    expectClose(d.layers[1]?.deadFraction, (dead?.filter(Boolean).length ?? 0) / 5, 1e-6, 0);
    expect(d.layers[0]?.deadFraction).toBeNull();
    expect(d.layers[1]?.saturation).toBeNull();
    expect(d.layers[2]).toMatchObject({ saturation: null, deadFraction: null });
  });

  test('with lossFn only, no activation statistics', async () => {
    const monitor = createGradientMonitor(fresh().model);
    const d = await monitor.step({ lossFn: (current as ReturnType<typeof setup>).lossFn });
    for (const l of d.layers) expect(l.activationMean).toBeNull();
  });

  test('with an optimiser, applies the update and reports updateToWeight', async () => {
    const m = fresh();
    const lr = 0.1;
    const reference = await independentGrads(m);
    const kernels = await Promise.all(
      m.model.layers.map((l) => readMatrix(l.getWeights()[0] as tf.Tensor)),
    );
    const optimizer = tf.train.sgd(lr);
    const d = await createGradientMonitor(m.model).step({ lossFn: m.lossFn, optimizer });
    for (const [i, layer] of m.model.layers.entries()) {
      const [kernel] = weightNames(m)[i] as [string, string];
      const g = reference.grads.get(kernel) as number[];
      const w = flat(kernels[i] as number[][]);
      expectClose(d.layers[i]?.updateToWeight, (lr * norm(g)) / norm(w));
      const after = flat(await readMatrix(layer.getWeights()[0] as tf.Tensor));
      for (const [j, v] of after.entries()) {
        expectClose(v, (w[j] as number) - lr * (g[j] as number), 1e-5, 1e-6);
      }
    }
    optimizer.dispose();
  });

  test('steps are numbered', async () => {
    const m = fresh();
    const monitor = createGradientMonitor(m.model);
    expect((await monitor.step({ lossFn: m.lossFn })).step).toBe(1);
    expect((await monitor.step({ lossFn: m.lossFn })).step).toBe(2);
  });

  test('no tensor leaks across 20 monitor steps', async () => {
    const m = fresh();
    const monitor = createGradientMonitor(m.model);
    const counts: number[] = [];
    const start = memory();
    await monitor.step({ x: m.x, y: m.y, loss: tf.losses.meanSquaredError });
    expect(memory()).toEqual(start);
    const optimizer = tf.train.adam(0.01);
    for (let i = 0; i < 20; i++) {
      await monitor.step({ x: m.x, y: m.y, loss: tf.losses.meanSquaredError, optimizer });
      counts.push(memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    optimizer.dispose();
    expect(memory()).toEqual(start);
  });
});

describe('createGradientMonitor on a list of layers', () => {
  test('watches plain variables with lossFn; bias and extra are optional', async () => {
    const w = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    );
    const v = tf.variable(tf.tensor2d([[0.5], [-1]]));
    const layers: MonitoredLayer[] = [
      { name: 'w', kernel: w },
      { name: 'v', kernel: v },
    ];
    const x = tf.tensor2d([[1, 1]]);
    // L = sum(x w v) = x w v for one example: dL/dv = (x w)^T = [4, 6]^T, dL/dw = x^T v^T.
    const d = await createGradientMonitor(layers).step({
      lossFn: () => tf.sum(tf.matMul(tf.matMul(x, w), v)) as tf.Scalar,
    });
    expect(d.layers.map((l) => l.name)).toEqual(['w', 'v']);
    expectClose(d.loss, 4 * 0.5 + 6 * -1);
    expectClose(d.layers[1]?.gradNorm, Math.hypot(4, 6));
    expectClose(d.layers[0]?.gradNorm, Math.hypot(0.5, -1, 0.5, -1));
    expect(d.layers[0]?.biasGradNorm).toBeNull();
    tf.dispose([w, v, x]);
  });

  test('counts NaN/Inf gradients on every step', async () => {
    const w = tf.variable(tf.tensor1d([1, Number.NaN, 2]));
    const u = tf.variable(tf.tensor1d([1, 1, 1]));
    const d = await createGradientMonitor([
      { name: 'w', kernel: w },
      { name: 'u', kernel: u },
    ]).step({ lossFn: () => tf.sum(tf.mul(w, u)) as tf.Scalar });
    // dL/dw = u (finite), dL/du = w (one NaN).
    expect(d.layers.map((l) => l.nonFinite)).toEqual([0, 1]);
    expect(d.layers[1]?.verdict).toBe('non-finite');
    expect(d.verdict).toBe('non-finite');
    tf.dispose([w, u]);
  });

  test('uses the given thresholds', async () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const d = await createGradientMonitor([{ name: 'w', kernel: w }], {
      thresholds: { explodingNorm: 0.5 },
    }).step({ lossFn: () => tf.sum(tf.square(w)) as tf.Scalar });
    expect(d.layers[0]?.verdict).toBe('exploding');
    w.dispose();
  });
});

describe('clear errors', () => {
  test('neither lossFn nor x, y and loss', async () => {
    const monitor = createGradientMonitor(fresh().model);
    const e = await caught(() => monitor.step({ x: (current as ReturnType<typeof setup>).x }));
    expect(e).toBeInstanceOf(GradlabError);
    expect((e as GradlabError).code).toBe('INVALID_ARGUMENT');
    expect((e as GradlabError).message).toMatch(/lossFn.*x.*y.*loss/);
  });

  test('x, y and loss with a list of layers', async () => {
    const w = tf.variable(tf.ones([2, 2]));
    const x = tf.ones([1, 2]);
    const e = await caught(() =>
      createGradientMonitor([{ name: 'w', kernel: w }]).step({
        x,
        y: x,
        loss: tf.losses.meanSquaredError,
      }),
    );
    expect((e as GradlabError).code).toBe('INVALID_ARGUMENT');
    expect((e as GradlabError).message).toContain('lossFn');
    tf.dispose([w, x]);
  });

  test('a model without trainable weights', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.activation({ activation: 'relu', inputShape: [3] })],
    });
    const e = await caught(() => createGradientMonitor(model));
    expect((e as GradlabError).code).toBe('INVALID_ARGUMENT');
    model.dispose();
  });

  test('a loss function that throws leaves no tensor of the monitor behind', async () => {
    const m = fresh();
    const monitor = createGradientMonitor(m.model);
    const before = memory();
    const e = await caught(() =>
      monitor.step({
        x: m.x,
        y: m.y,
        loss: () => {
          throw new Error('bad loss');
        },
      }),
    );
    expect((e as Error).message).toBe('bad loss');
    disposeAbandonedTape();
    expect(memory()).toEqual(before);
  });

  test('a loss that ignores a watched variable', async () => {
    const w = tf.variable(tf.ones([2]));
    const unused = tf.variable(tf.ones([2]));
    const before = memory();
    const e = await caught(() =>
      createGradientMonitor([
        { name: 'w', kernel: w },
        { name: 'unused', kernel: unused },
      ]).step({ lossFn: () => tf.sum(w) as tf.Scalar }),
    );
    expect((e as GradlabError).code).toBe('INVALID_ARGUMENT');
    expect((e as GradlabError).message).toContain('does not depend');
    expect(memory()).toEqual(before);
    tf.dispose([w, unused]);
  });
});
