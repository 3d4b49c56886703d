import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  addingData,
  buildModel,
  type Dataset,
  type ExperimentSpecInput,
  GradlabError,
  type GradModel,
  teacherData,
} from '../index.js';
import {
  addRow,
  caught,
  expectClose,
  flat,
  type Matrix,
  matmul,
  readMatrix,
  tinySpec,
  transpose,
  useCpu,
  zip,
} from '../test-support.js';

beforeAll(useCpu);

const built: GradModel[] = [];
afterEach(() => {
  for (const m of built.splice(0)) m.dispose();
});

const vectors = teacherData(1, {
  task: 'regression',
  inputSize: 4,
  outputSize: 2,
  samples: 8,
  noise: 0,
});
const sequences = addingData(1, { length: 5, samples: 8 });

function build(model: ExperimentSpecInput['model'], data: Dataset = vectors, seed = 3): GradModel {
  const spec = tinySpec({
    model,
    ...(data === sequences ? { data: { kind: 'adding', length: 5, samples: 8 } } : {}),
  });
  const m = buildModel(spec.model, data, seed);
  built.push(m);
  return m;
}

describe('MLP', () => {
  test('layers, shapes and per-layer settings', () => {
    const m = build({
      kind: 'mlp',
      depth: 3,
      width: 6,
      activation: ['tanh', 'relu'],
      init: ['zeros', 'he-normal', { kind: 'constant', value: 2 }],
    });
    expect(m.layers.map((l) => [l.name, l.kernel.shape, l.bias?.shape, l.activation])).toEqual([
      ['dense1', [4, 6], [6], 'tanh'],
      ['dense2', [6, 6], [6], 'relu'],
      ['output', [6, 2], [2], null],
    ]);
    expect(m.variables).toHaveLength(6);
    expect(m.signalLabels).toEqual(['dense1', 'dense2']);
    expect(m.probeShapes(8)).toEqual([
      [8, 6],
      [8, 6],
    ]);
    expect(flat(Array.from(m.layers[0]?.kernel.dataSync() ?? []))).toEqual(new Array(24).fill(0));
    expect(new Set(m.layers[2]?.kernel.dataSync())).toEqual(new Set([2]));
  });

  test('normalisation layers get a scale and a shift', () => {
    const m = build({ kind: 'mlp', depth: 2, width: 3, norm: 'layernorm' });
    expect(m.layers[0]?.extra.map((v) => v.shape)).toEqual([[3], [3]]);
    expect(m.layers[1]?.extra).toEqual([]);
  });

  test('the same seed gives the same weights; variables never clash', async () => {
    const a = build({ kind: 'mlp', depth: 2, width: 3 });
    const b = build({ kind: 'mlp', depth: 2, width: 3 });
    expect(await readMatrix(a.layers[0]?.kernel as tf.Variable)).toEqual(
      await readMatrix(b.layers[0]?.kernel as tf.Variable),
    );
    expect(a.layers[0]?.kernel.name).not.toBe(b.layers[0]?.kernel.name);
  });

  /** A layer's variable as numbers; fails the test when the layer has no such variable. */
  async function valuesOf(variable: tf.Variable | null | undefined): Promise<Float32Array> {
    expect(variable).toBeInstanceOf(tf.Variable);
    return (await (variable as tf.Variable).data()) as Float32Array;
  }

  test('biases start at zero unless biasInit says otherwise', async () => {
    const plain = build({ kind: 'mlp', depth: 3, width: 4 });
    for (const layer of plain.layers) {
      expect(new Set(await valuesOf(layer.bias))).toEqual(new Set([0]));
    }
    const constant = build({
      kind: 'mlp',
      depth: 2,
      width: 3,
      biasInit: { kind: 'constant', value: 0.5 },
    });
    expect(Array.from(await valuesOf(constant.layers[0]?.bias))).toEqual([0.5, 0.5, 0.5]);
  });

  test('biasInit normal draws b ~ N(0, std^2) in every layer and leaves the kernels as they were', async () => {
    const plain = build({ kind: 'mlp', depth: 3, width: 200 });
    const random = build({
      kind: 'mlp',
      depth: 3,
      width: 200,
      biasInit: { kind: 'normal', std: 0.3 },
    });
    const hidden: number[] = [];
    for (const [l, layer] of random.layers.entries()) {
      const b = Array.from(await valuesOf(layer.bias));
      if (l < 2) hidden.push(...b);
      expect(b.every((v) => v !== 0)).toBe(true);
      const same = Buffer.from((await valuesOf(layer.kernel)).buffer).equals(
        Buffer.from((await valuesOf(plain.layers[l]?.kernel)).buffer),
      );
      expect(same, `kernel of ${layer.name} unchanged`).toBe(true);
    }
    const mean = hidden.reduce((a, v) => a + v, 0) / hidden.length;
    const std = Math.sqrt(hidden.reduce((a, v) => a + (v - mean) ** 2, 0) / hidden.length);
    // 400 draws: the sample std is 0.3 * (1 +/- 1 / sqrt(2 * 400)), so +/- 15% is 4 sigma.
    expect(std).toBeGreaterThan(0.3 * 0.85);
    expect(std).toBeLessThan(0.3 * 1.15);
    expect(Math.abs(mean)).toBeLessThan(0.06);
    // Each layer draws its own biases.
    const first = await valuesOf(random.layers[0]?.bias);
    const second = await valuesOf(random.layers[1]?.bias);
    expect(Array.from(first)).not.toEqual(Array.from(second));
  });

  /** Output of a linear MLP of kernels 2I (each layer doubles h) on x = [1, 2, 3, 4]. */
  async function doublingNet(depth: number, every: number): Promise<number[]> {
    const square = teacherData(1, {
      task: 'regression',
      inputSize: 4,
      outputSize: 4,
      samples: 8,
      noise: 0,
    });
    const m = build(
      {
        kind: 'mlp',
        depth,
        width: 4,
        activation: 'linear',
        init: { kind: 'identity', gain: 2 },
        residual: { every },
      },
      square,
    );
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const { output } = m.forward(x, null);
    const out = Array.from(await output.data());
    tf.dispose([x, output]);
    return out;
  }

  test('residual blocks add their input to their output', async () => {
    // every 1: dense1 2x; dense2 4x + 2x = 6x; dense3 12x + 6x = 18x; output 36x.
    expect(await doublingNet(4, 1)).toEqual([36, 72, 108, 144]);
    // every 2, blocks {dense2, dense3} and {dense4, dense5}: 2x; 4x, 8x + 2x = 10x;
    // 20x, 40x + 10x = 50x; output 100x.
    expect(await doublingNet(6, 2)).toEqual([100, 200, 300, 400]);
  });

  test('an MLP needs vector data', async () => {
    const spec = tinySpec();
    const e = await caught(() => buildModel(spec.model, sequences, 1));
    expect((e as GradlabError).code).toBe('UNSUPPORTED_MODEL');
  });
});

describe('recurrent', () => {
  test.each([
    ['rnn', 1],
    ['lstm', 4],
    ['gru', 3],
  ] as const)('%s: gate blocks side by side', (kind, gates) => {
    const m = build({ kind, hiddenSize: 3 }, sequences);
    expect(m.layers.map((l) => [l.name, l.kernel.shape])).toEqual([
      [`${kind}.input`, [2, 3 * gates]],
      [`${kind}.recurrent`, [3, 3 * gates]],
      ['output', [3, 1]],
    ]);
    expect(m.layers[1]?.bias).toBeNull();
    expect(m.signalLabels).toEqual(['t=1', 't=2', 't=3', 't=4', 't=5']);
    const x = tf.tensor(sequences.x.slice(0, 4 * 5 * 2), [4, 5, 2]);
    const { output } = m.forward(x, null);
    expect(output.shape).toEqual([4, 1]);
    tf.dispose([x, output]);
  });

  test('an orthogonal recurrent kernel is orthogonal per gate', async () => {
    const m = build({ kind: 'lstm', hiddenSize: 4, recurrentInit: 'orthogonal' }, sequences);
    const u = await readMatrix(m.layers[1]?.kernel as tf.Variable);
    for (let g = 0; g < 4; g++) {
      const block = u.map((r) => r.slice(4 * g, 4 * g + 4));
      const gram = matmul(transpose(block), block);
      for (const [i, row] of gram.entries()) {
        for (const [j, v] of row.entries())
          expect(Math.abs(v - (i === j ? 1 : 0))).toBeLessThan(1e-5);
      }
    }
  });

  test('the LSTM forget-gate bias starts at forgetBias, the other gates at 0', async () => {
    const m = build({ kind: 'lstm', hiddenSize: 2, forgetBias: 1.5 }, sequences);
    const bias = m.layers[0]?.bias as tf.Variable;
    expect(Array.from(await bias.data())).toEqual([0, 0, 1.5, 1.5, 0, 0, 0, 0]);
  });

  test('a recurrent model needs sequence data', async () => {
    const spec = tinySpec({ data: { kind: 'adding' }, model: { kind: 'gru', hiddenSize: 2 } });
    const e = await caught(() => buildModel(spec.model, vectors, 1));
    expect(e).toBeInstanceOf(GradlabError);
    expect((e as GradlabError).code).toBe('UNSUPPORTED_MODEL');
  });
});

describe('recurrent cells follow their documented equations', () => {
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const cols = (m: Matrix, from: number, to: number) => m.map((r) => r.slice(from, to));
  const map = (m: Matrix, f: (v: number) => number) => m.map((r) => r.map(f));
  const mul = (a: Matrix, b: Matrix) => zip(a, b, (p, q) => p * q);
  const plus = (a: Matrix, b: Matrix) => zip(a, b, (p, q) => p + q);

  /** The model's output on the first 4 sequences, and the Float64 one of `cell`. */
  async function compare(
    kind: 'lstm' | 'gru',
    cell: (xp: Matrix, h: Matrix, c: Matrix, U: Matrix) => { h: Matrix; c: Matrix },
  ): Promise<void> {
    const m = build(
      { kind, hiddenSize: 3, recurrentInit: { kind: 'normal', std: 0.6 } },
      sequences,
    );
    const [input, recurrent, out] = m.layers as [
      GradModel['layers'][number],
      GradModel['layers'][number],
      GradModel['layers'][number],
    ];
    const W = await readMatrix(input.kernel);
    const b = Array.from(await (input.bias as tf.Variable).data());
    const U = await readMatrix(recurrent.kernel);
    const V = await readMatrix(out.kernel);
    const c0 = Array.from(await (out.bias as tf.Variable).data());
    const batch = 4;
    const xFlat = sequences.x.slice(0, batch * 5 * 2);
    let h: Matrix = Array.from({ length: batch }, () => [0, 0, 0]);
    let c: Matrix = h;
    for (let t = 0; t < 5; t++) {
      const xt = Array.from({ length: batch }, (_, s) =>
        Array.from(xFlat.slice((s * 5 + t) * 2, (s * 5 + t) * 2 + 2)),
      );
      ({ h, c } = cell(addRow(matmul(xt, W), b), h, c, U));
    }
    const expected = addRow(matmul(h, V), c0);
    const x = tf.tensor(xFlat, [batch, 5, 2]);
    const { output } = m.forward(x, null);
    const got = await readMatrix(output);
    tf.dispose([x, output]);
    for (const [i, v] of flat(got).entries())
      expectClose(v, flat(expected)[i] as number, 1e-5, 1e-6);
  }

  test('lstm: gates i, f, g, o', async () => {
    await compare('lstm', (xp, h, c, U) => {
      const z = plus(xp, matmul(h, U));
      const [i, f, g, o] = [0, 1, 2, 3].map((k) => cols(z, 3 * k, 3 * k + 3)) as [
        Matrix,
        Matrix,
        Matrix,
        Matrix,
      ];
      const cNext = plus(mul(map(f, sigmoid), c), mul(map(i, sigmoid), map(g, Math.tanh)));
      return { h: mul(map(o, sigmoid), map(cNext, Math.tanh)), c: cNext };
    });
  });

  test('gru: gates z, r, n', async () => {
    await compare('gru', (xp, h, c, U) => {
      const [xz, xr, xn] = [0, 1, 2].map((k) => cols(xp, 3 * k, 3 * k + 3)) as [
        Matrix,
        Matrix,
        Matrix,
      ];
      const hzr = matmul(h, cols(U, 0, 6));
      const z = map(plus(xz, cols(hzr, 0, 3)), sigmoid);
      const r = map(plus(xr, cols(hzr, 3, 6)), sigmoid);
      const n = map(plus(xn, matmul(mul(r, h), cols(U, 6, 9))), Math.tanh);
      return {
        h: plus(
          mul(
            map(z, (v) => 1 - v),
            n,
          ),
          mul(z, h),
        ),
        c,
      };
    });
  });
});
