import { cpuBackend } from '@gradlab/backend-cpu';
import { buildModel, GradlabError, type GradModel, loadDataset, parseSpec } from '@gradlab/core';
import { meanField } from '@gradlab/theory';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveSw2 } from '../../study-kit/tanh-grid.js';
import { perLayerSquaredRatio, phaseOfFactor, randomTanhNetwork } from './chi-measure.js';

beforeAll(async () => {
  await cpuBackend.activate();
});

describe('perLayerSquaredRatio', () => {
  it('is the per-layer factor of the squared norm when the norm halves at every layer upwards', () => {
    const norms = [8, 4, 2, 1];
    expect(perLayerSquaredRatio(norms, 0, 3)).toBeCloseTo(4, 12);
    expect(perLayerSquaredRatio(norms, 1, 3)).toBeCloseTo(4, 12);
    expect(perLayerSquaredRatio(norms, 2, 3)).toBeCloseTo(4, 12);
  });

  it('is the geometric mean of the per-layer ratios: only the two ends count', () => {
    // Per-layer squared ratios 0.25, 1e8 and 2.56e-6 multiply to (8 / 1)^2 = 64: 4 per layer.
    expect(perLayerSquaredRatio([8, 16, 1.6e-3, 1], 0, 3)).toBeCloseTo(4, 10);
    expect(perLayerSquaredRatio([1, 1, 1, 1], 0, 3)).toBe(1);
    expect(perLayerSquaredRatio([0.1, 1], 0, 1)).toBeCloseTo(0.01, 14);
  });

  it('refuses layer indices that do not span at least one layer of the profile', () => {
    for (const [bottom, top] of [
      [2, 2],
      [3, 1],
      [-1, 2],
      [0, 4],
    ] as const) {
      const e = (() => {
        try {
          perLayerSquaredRatio([1, 2, 3, 4], bottom, top);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(GradlabError);
      expect((e as GradlabError).code).toBe('INVALID_ARGUMENT');
      expect((e as GradlabError).message).toMatch(/bottom|top/);
    }
  });
});

describe('phaseOfFactor', () => {
  it('calls a factor within the band of 1 critical, below ordered, above chaotic', () => {
    expect(phaseOfFactor(0.9, 0.05)).toBe('ordered');
    expect(phaseOfFactor(0.96, 0.05)).toBe('critical');
    expect(phaseOfFactor(1, 0)).toBe('critical');
    expect(phaseOfFactor(1.04, 0.05)).toBe('critical');
    expect(phaseOfFactor(1.2, 0.05)).toBe('chaotic');
    expect(phaseOfFactor(1.2, 0.3)).toBe('critical');
  });

  it('refuses a band outside [0, 1)', () => {
    expect(() => phaseOfFactor(1, -0.1)).toThrow(/band must be in \[0, 1\); got -0.1/);
    expect(() => phaseOfFactor(1, 1)).toThrow(GradlabError);
  });
});

describe('resolveSw2', () => {
  it('solves chi_1 = 1 for "critical" and passes numbers through', () => {
    const sw2 = resolveSw2('critical', 0.05);
    // Independent Gauss-Hermite quadrature (101 nodes) puts the line at sw2 = 1.76095.
    expect(sw2).toBeCloseTo(1.76095, 4);
    expect(meanField('tanh', { sw2, sb2: 0.05 }).chi1).toBeCloseTo(1, 8);
    expect(resolveSw2(3, 0.05)).toBe(3);
  });
});

describe('randomTanhNetwork', () => {
  it('draws W with variance sw2 / fan-in and b with variance sb2', async () => {
    const spec = parseSpec(
      randomTanhNetwork({
        name: 'variances',
        seed: 1,
        sw2: 3,
        sb2: 0.25,
        depth: 3,
        width: 128,
        batchSize: 16,
        outputs: 4,
      }),
    );
    expect(spec.training.steps).toBe(1);
    expect(spec.diagnostics.every).toBe(1);
    const data = await loadDataset(spec.data, spec.seed);
    expect(data.xShape).toEqual([128]);
    const before = tf.memory().numTensors;
    const model = buildModel(spec.model, data, spec.seed);
    try {
      const hidden = model.layers[1] as GradModel['layers'][number];
      const kernel = await hidden.kernel.data();
      const bias = await (hidden.bias as tf.Variable).data();
      const meanSquare = (xs: ArrayLike<number>) =>
        Array.from(xs).reduce((a, v) => a + v * v, 0) / xs.length;
      // 16,384 weights: fan-in x their mean square is sw2 within a few percent.
      expect(128 * meanSquare(kernel)).toBeGreaterThan(3 * 0.95);
      expect(128 * meanSquare(kernel)).toBeLessThan(3 * 1.05);
      // 128 biases: the sample variance is sb2 (1 +/- 0.125 at one standard deviation).
      expect(meanSquare(bias)).toBeGreaterThan(0.25 * 0.6);
      expect(meanSquare(bias)).toBeLessThan(0.25 * 1.4);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves the biases at zero when sb2 = 0', () => {
    const spec = randomTanhNetwork({
      name: 'no-bias',
      seed: 0,
      sw2: 1,
      sb2: 0,
      depth: 3,
      width: 8,
      batchSize: 4,
      outputs: 2,
    });
    expect(spec.model).toMatchObject({ biasInit: 'zeros' });
  });
});
