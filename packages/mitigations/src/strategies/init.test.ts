import { createRng, type Initializer, initKernel } from '@gradlab/core';
import { expectClose, useCpu } from '@gradlab/testkit/helpers';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMitigations } from '../catalogue.js';
import { mean, mlpSpec, modelOf, noLeak, rnnSpec, variance } from '../test-support.js';

beforeAll(useCpu);

const kernel = (init: Initializer, fanIn: number, fanOut: number, slope = 0, seed = 1) =>
  initKernel(init, fanIn, fanOut, createRng(seed, 'init'), slope);

const maxAbs = (w: Float32Array) => w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Within `rel` of the expected variance (1e6 draws: the estimate's error is ~0.15%). */
const expectVariance = (w: Float32Array, expected: number, rel = 0.02) => {
  expect(Math.abs(mean(w))).toBeLessThan(3 * Math.sqrt(expected / w.length) + 1e-6);
  expectClose(variance(w), expected, rel);
};

describe('variance-scaling initialisers on a 1000 x 1000 kernel (core initKernel)', () => {
  it('he-normal: variance 2 / fan_in', () => {
    expectVariance(kernel('he-normal', 1000, 1000), 2 / 1000);
  });

  it('he with a leaky/prelu slope a: variance 2 / ((1 + a^2) fan_in)', () => {
    for (const a of [0.25, 0.5]) {
      expectVariance(kernel('he-normal', 1000, 1000, a), 2 / ((1 + a * a) * 1000));
      expectVariance(kernel('he-uniform', 1000, 1000, a, 2), 2 / ((1 + a * a) * 1000));
    }
  });

  it('he-uniform: variance 2 / fan_in, bounded by sqrt(6 / fan_in)', () => {
    const w = kernel('he-uniform', 1000, 1000);
    expectVariance(w, 2 / 1000);
    expect(maxAbs(w)).toBeLessThanOrEqual(Math.fround(Math.sqrt(6 / 1000)));
  });

  it('xavier: variance 2 / (fan_in + fan_out), normal and uniform', () => {
    expectVariance(kernel('xavier-normal', 1000, 500), 2 / 1500);
    expectVariance(kernel('xavier-uniform', 500, 1000), 2 / 1500);
  });

  it('lecun-normal: variance 1 / fan_in', () => {
    expectVariance(kernel('lecun-normal', 1000, 1000), 1 / 1000);
  });

  it('normal(std), uniform(limit), constant(value)', () => {
    expectVariance(kernel({ kind: 'normal', std: 0.1 }, 1000, 1000), 0.01);
    const u = kernel({ kind: 'uniform', limit: 0.3 }, 1000, 1000);
    expectVariance(u, 0.09 / 3);
    expect(maxAbs(u)).toBeLessThanOrEqual(Math.fround(0.3));
    expect(new Set(kernel({ kind: 'constant', value: -0.5 }, 30, 20))).toEqual(new Set([-0.5]));
  });
});

describe('orthogonal and identity', () => {
  /** W^T W (tall W, rows x cols, row-major). */
  function gram(w: Float32Array, rows: number, cols: number): number[][] {
    return Array.from({ length: cols }, (_, i) =>
      Array.from({ length: cols }, (_, j) => {
        let s = 0;
        for (let r = 0; r < rows; r++)
          s += (w[r * cols + i] as number) * (w[r * cols + j] as number);
        return s;
      }),
    );
  }

  it('orthogonal: W^T W = I (tall) and W W^T = I (wide)', () => {
    const tall = gram(kernel('orthogonal', 64, 32), 64, 32);
    tall.forEach((row, i) => {
      row.forEach((v, j) => {
        expectClose(v, i === j ? 1 : 0, 0, 1e-5);
      });
    });
    // wide: the transpose of a wide kernel is tall
    const wide = kernel('orthogonal', 16, 48);
    const t = new Float32Array(48 * 16);
    for (let r = 0; r < 16; r++)
      for (let c = 0; c < 48; c++) t[c * 16 + r] = wide[r * 48 + c] as number;
    gram(t, 48, 16).forEach((row, i) => {
      row.forEach((v, j) => {
        expectClose(v, i === j ? 1 : 0, 0, 1e-5);
      });
    });
  });

  it('identity: ones on the diagonal of a rectangular kernel, zeros elsewhere', () => {
    const w = kernel('identity', 3, 5);
    expect(Array.from(w)).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
  });
});

describe('initialisation strategies reach the model (applyMitigations + buildModel)', () => {
  /** The values of every kernel of the spec's model. */
  async function kernels(spec: Parameters<typeof modelOf>[0]) {
    return noLeak(async () => {
      const m = await modelOf(spec, 2);
      const out = await Promise.all(
        m.model.layers.map(async (g) => ({
          name: g.name,
          shape: g.kernel.shape,
          values: (await g.kernel.data()) as Float32Array,
        })),
      );
      m.dispose();
      return out;
    });
  }

  const wide = mlpSpec({
    data: { kind: 'teacher', inputSize: 1000, outputSize: 2, samples: 4 },
    model: { kind: 'mlp', depth: 2, width: 1000, activation: 'tanh', init: 'xavier-uniform' },
  });

  it('leaky-relu:0.5+he-init: the first kernel has variance 2 / ((1 + 0.25) 1000)', async () => {
    const spec = applyMitigations(wide, 'leaky-relu:0.5+he-init');
    expect(spec.model).toMatchObject({
      activation: 'leaky-relu',
      leakyAlpha: 0.5,
      init: 'he-normal',
    });
    const [first] = await kernels(spec);
    expect(first?.shape).toEqual([1000, 1000]);
    expectVariance(first?.values as Float32Array, 2 / (1.25 * 1000));
  });

  it('prelu+he-uniform uses the initial slope 0.25 as the gain', async () => {
    const [first] = await kernels(applyMitigations(wide, 'prelu+he-uniform'));
    expectVariance(first?.values as Float32Array, 2 / (1.0625 * 1000));
  });

  it('relu+he-init, xavier-init, lecun-init, normal-init, uniform-init, constant-init set every dense layer', async () => {
    const cases: [string, number][] = [
      ['relu+he-init', 2 / 1000],
      ['xavier-init', 2 / 2000],
      ['lecun-init', 1 / 1000],
      ['normal-init:0.05', 0.0025],
      ['uniform-init:0.1', 0.01 / 3],
    ];
    for (const [variant, v] of cases) {
      const [first] = await kernels(applyMitigations(wide, variant));
      expectVariance(first?.values as Float32Array, v);
    }
    const small = mlpSpec();
    const constant = await kernels(applyMitigations(small, 'constant-init:0.2'));
    expect(constant).toHaveLength(4);
    for (const k of constant) expect(new Set(k.values)).toEqual(new Set([Math.fround(0.2)]));
  });

  it('orthogonal-init and identity-init on an MLP: every kernel', async () => {
    const spec = mlpSpec({
      data: { kind: 'teacher', inputSize: 8, outputSize: 2, samples: 4 },
      model: { kind: 'mlp', depth: 3, width: 8, activation: 'relu' },
    });
    const ortho = await kernels(applyMitigations(spec, 'orthogonal-init'));
    const k = ortho[1]?.values as Float32Array; // 8 x 8: W^T W = I
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) {
        let s = 0;
        for (let r = 0; r < 8; r++) s += (k[r * 8 + i] as number) * (k[r * 8 + j] as number);
        expectClose(s, i === j ? 1 : 0, 0, 1e-5);
      }
    const ident = await kernels(applyMitigations(spec, 'identity-init'));
    for (const g of ident) {
      const cols = g.shape[1] as number;
      g.values.forEach((v, idx) => {
        expect(v).toBe(Math.floor(idx / cols) === idx % cols ? 1 : 0);
      });
    }
  });

  it('identity-init on an RNN: the recurrent kernel is the identity (IRNN), the input kernel is kept', async () => {
    const base = rnnSpec();
    const spec = applyMitigations(base, 'relu+identity-init');
    expect(spec.model).toMatchObject({
      activation: 'relu',
      recurrentInit: 'identity',
      init: 'xavier-uniform',
    });
    const [input, recurrent] = await kernels(spec);
    const [baseInput] = await kernels(base);
    expect(input?.values).toEqual(baseInput?.values);
    const h = 8;
    recurrent?.values.forEach((v, idx) => {
      expect(v).toBe(Math.floor(idx / h) === idx % h ? 1 : 0);
    });
  });

  it('on a recurrent net the other initialisers set both the input and the recurrent kernel', () => {
    const spec = applyMitigations(rnnSpec(), 'orthogonal-init');
    expect(spec.model).toMatchObject({ init: 'orthogonal', recurrentInit: 'orthogonal' });
    const n = applyMitigations(rnnSpec(), 'normal-init:0.05');
    expect(n.model).toMatchObject({
      init: { kind: 'normal', std: 0.05 },
      recurrentInit: { kind: 'normal', std: 0.05 },
    });
  });
});
