import { caught, expectClose, useCpu } from '@gradlab/testkit/helpers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMitigations } from '../catalogue.js';
import { mean, mlpSpec, modelOf, noLeak, rnnSpec, run, variance } from '../test-support.js';

beforeAll(useCpu);

/** Columns (features) or rows (samples) of a [n, d] matrix. */
function slices(values: Float32Array, n: number, d: number, by: 'feature' | 'sample'): number[][] {
  return by === 'feature'
    ? Array.from({ length: d }, (_, j) =>
        Array.from({ length: n }, (_, i) => values[i * d + j] as number),
      )
    : Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * d, (i + 1) * d)));
}

// Weights large enough that, without normalisation, pre-activations are far from N(0, 1).
const normBase = mlpSpec({
  data: { kind: 'teacher', inputSize: 6, outputSize: 2, samples: 64 },
  model: {
    kind: 'mlp',
    depth: 3,
    width: 12,
    activation: 'relu',
    init: { kind: 'normal', std: 1.5 },
  },
});

describe('batchnorm', () => {
  it('training mode: every feature has mean ~0 and variance ~1 over the batch', async () => {
    const spec = applyMitigations(normBase, 'batchnorm');
    expect(spec.model).toMatchObject({ norm: 'batchnorm' });
    await noLeak(async () => {
      const m = await modelOf(spec, 32);
      const pres = tf.tidy(() =>
        m.model.forward(m.x, null, true).captured.map((c) => tf.keep(c?.pre ?? tf.zeros([0]))),
      );
      for (const pre of pres.slice(0, 2)) {
        const [n, d] = pre.shape as [number, number];
        for (const f of slices((await pre.data()) as Float32Array, n, d, 'feature')) {
          expectClose(mean(f), 0, 0, 1e-5);
          expectClose(variance(f), 1, 1e-3); // eps 1e-5 in the denominator
        }
      }
      tf.dispose(pres);
      m.dispose();
    });
  });

  it('inference mode uses the running statistics, which training passes move toward the batch statistics', async () => {
    const spec = applyMitigations(normBase, 'batchnorm');
    await noLeak(async () => {
      const m = await modelOf(spec, 32);
      const [runningMean, runningVar] = m.model.stateVariables as [tf.Variable, tf.Variable];
      expect(runningMean.name).toContain('running-mean');
      // The first layer's pre-normalisation values z = x W + b, and their batch statistics.
      const first = m.model.layers[0] as (typeof m.model.layers)[number];
      const z = tf.tidy(() => tf.add(tf.matMul(m.x, first.kernel), first.bias as tf.Variable));
      const zs = slices((await z.data()) as Float32Array, 32, 12, 'feature');
      const batchMean = zs.map(mean);
      const batchVar = zs.map((f) => (variance(f) * 32) / 31); // unbiased, as the running variance
      const pass = () =>
        tf.tidy(() => {
          for (const u of m.model.forward(m.x, null, true).stateUpdates) u.variable.assign(u.value);
        });
      // One pass from (0, 1) gives the momentum: runningMean = (1 - momentum) * batch mean.
      pass();
      const j0 = batchMean.reduce(
        (b, v, j) => (Math.abs(v) > Math.abs(batchMean[b] as number) ? j : b),
        0,
      );
      const momentum = 1 - ((await runningMean.data())[j0] as number) / (batchMean[j0] as number);
      expect(momentum).toBeGreaterThan(0.5);
      expect(momentum).toBeLessThan(1);
      const passes = 30;
      for (let i = 1; i < passes; i++) pass();
      // After n passes on one batch: (1 - momentum^n) of the way from the start to the batch stats.
      const k = momentum ** passes;
      const rm = await runningMean.data();
      const rv = await runningVar.data();
      batchMean.forEach((mu, j) => {
        expectClose(rm[j] as number, (1 - k) * mu, 1e-3, 1e-5);
      });
      batchVar.forEach((v, j) => {
        expectClose(rv[j] as number, k + (1 - k) * v, 1e-3, 1e-5);
      });
      const gap = batchMean.reduce((s, mu, j) => s + Math.abs((rm[j] as number) - mu), 0);
      expect(gap).toBeLessThan(0.5 * batchMean.reduce((s, mu) => s + Math.abs(mu), 0));
      // Inference: (z - runningMean) / sqrt(runningVar + eps), not the batch statistics.
      const pre = tf.tidy(() =>
        tf.keep(m.model.forward(m.x, null, false).captured[0]?.pre as tf.Tensor),
      );
      const got = slices((await pre.data()) as Float32Array, 32, 12, 'feature');
      got.forEach((f, j) => {
        f.forEach((v, i) => {
          expectClose(
            v,
            ((zs[j]?.[i] as number) - (rm[j] as number)) / Math.sqrt((rv[j] as number) + 1e-5),
            1e-4,
            1e-5,
          );
        });
      });
      tf.dispose([z, pre]);
      m.dispose();
    });
  });

  it('does not apply to a recurrent net', async () => {
    const e = await caught(() => applyMitigations(rnnSpec(), 'batchnorm'));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/batchnorm does not apply here: the model is a rnn/);
  });
});

describe('layernorm', () => {
  it('every sample has mean ~0 and variance ~1 over its units, in training and inference', async () => {
    const spec = applyMitigations(normBase, 'layernorm');
    expect(spec.model).toMatchObject({ norm: 'layernorm' });
    await noLeak(async () => {
      const m = await modelOf(spec, 8);
      for (const training of [true, false]) {
        const pre = tf.tidy(() =>
          tf.keep(m.model.forward(m.x, null, training).captured[1]?.pre as tf.Tensor),
        );
        for (const s of slices((await pre.data()) as Float32Array, 8, 12, 'sample')) {
          expectClose(mean(s), 0, 0, 1e-5);
          expectClose(variance(s), 1, 1e-3);
        }
        pre.dispose();
      }
      m.dispose();
    });
  });
});

describe('residual', () => {
  const deepSigmoid = mlpSpec({
    data: { kind: 'teacher', inputSize: 8, outputSize: 2, samples: 64 },
    model: { kind: 'mlp', depth: 16, width: 16, activation: 'sigmoid', init: 'xavier-normal' },
    training: { steps: 1, batchSize: 32 },
  });

  it('identity skips: the gradient reaching the first layer of a deep sigmoid MLP is far larger', async () => {
    const plain = await noLeak(() => run(deepSigmoid));
    const res = await noLeak(() => run(applyMitigations(deepSigmoid, 'residual')));
    const first = (r: typeof plain) => r.result.final?.layers[0]?.ratioToLast as number;
    expect(first(plain)).toBeLessThan(1e-4); // the plain net vanishes
    expect(first(res)).toBeGreaterThan(1000 * first(plain));
    expect(first(res)).toBeGreaterThan(1e-2);
  });

  it('with per-layer widths, a projection exists exactly where a block changes width', async () => {
    const spec = applyMitigations(
      mlpSpec({ model: { kind: 'mlp', depth: 6, width: [8, 8, 16, 16, 16], activation: 'relu' } }),
      'residual:2',
    );
    expect(spec.model).toMatchObject({ residual: { every: 2 } });
    await noLeak(async () => {
      const m = await modelOf(spec, 4);
      const projections = m.model.variables.filter((v) => v.name.includes('skip/projection'));
      // Blocks: hidden layers 2-3 (8 -> 16: projection), 4-5 (16 -> 16: identity).
      expect(projections.map((v) => [v.name.split('/').at(-3), v.shape])).toEqual([
        ['dense3', [8, 16]],
      ]);
      const out = tf.tidy(() => tf.keep(m.model.forward(m.x, null).output));
      expect(out.shape).toEqual([4, 2]);
      out.dispose();
      m.dispose();
    });
  });

  it('needs enough hidden layers and an MLP', async () => {
    const shallow = await caught(() => applyMitigations(mlpSpec(), 'residual:3'));
    expect(shallow.message).toMatch(
      /residual does not apply here: .*needs at least 4 hidden layers; this MLP has 3/,
    );
    const rnn = await caught(() => applyMitigations(rnnSpec(), 'residual'));
    expect(rnn.code).toBe('INVALID_ARGUMENT');
  });
});
