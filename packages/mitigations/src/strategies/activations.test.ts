import { caught, expectClose, useCpu } from '@gradlab/testkit/helpers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMitigations } from '../catalogue.js';
import { mlpSpec, modelOf, noLeak, rnnSpec, stepContext, trainStep } from '../test-support.js';

beforeAll(useCpu);

/** erf, Abramowitz & Stegun 7.1.26 (error < 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return Math.sign(x) * y;
}

const SELU_LAMBDA = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/** What each activation strategy must compute, elementwise. */
const reference: Record<string, (z: number) => number> = {
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: Math.tanh,
  relu: (z) => Math.max(0, z),
  'leaky-relu': (z) => (z > 0 ? z : 0.01 * z),
  'leaky-relu:0.2': (z) => (z > 0 ? z : 0.2 * z),
  prelu: (z) => (z > 0 ? z : 0.25 * z), // the initial learned slope
  elu: (z) => (z > 0 ? z : Math.exp(z) - 1),
  selu: (z) => SELU_LAMBDA * (z > 0 ? z : SELU_ALPHA * (Math.exp(z) - 1)),
  gelu: (z) => 0.5 * z * (1 + erf(z / Math.SQRT2)),
};

describe('activation strategies: every hidden layer computes the activation', () => {
  // Large weights, so pre-activations cover both sides of 0 well beyond the linear range.
  const base = mlpSpec({
    model: {
      kind: 'mlp',
      depth: 4,
      width: 8,
      activation: 'linear',
      init: { kind: 'normal', std: 1 },
    },
  });

  for (const [variant, f] of Object.entries(reference)) {
    it(variant, async () => {
      const spec = applyMitigations(base, variant);
      expect(spec.model).toMatchObject({ activation: variant.split(':')[0] });
      await noLeak(async () => {
        const m = await modelOf(spec, 8);
        const captured = tf.tidy(() =>
          m.model
            .forward(m.x, null, true)
            .captured.slice(0, 3)
            .map((c) => [tf.keep(c?.pre as tf.Tensor), tf.keep(c?.post as tf.Tensor)] as const),
        );
        let negatives = 0;
        for (const [pre, post] of captured) {
          const z = await pre.data();
          const h = await post.data();
          z.forEach((v, i) => {
            if (v < 0) negatives += 1;
            expectClose(h[i] as number, f(v), 1e-5, 1e-6);
          });
        }
        expect(negatives).toBeGreaterThan(10);
        tf.dispose(captured.flat());
        m.dispose();
      });
    });
  }

  it('replaces a per-layer activation list, and sets leakyAlpha', () => {
    const spec = applyMitigations(
      mlpSpec({ model: { kind: 'mlp', depth: 3, width: 4, activation: ['tanh', 'sigmoid'] } }),
      'leaky-relu:0.3',
    );
    expect(spec.model).toMatchObject({ activation: 'leaky-relu', leakyAlpha: 0.3 });
  });
});

describe('prelu', () => {
  it('the negative slope is a trained variable, starting at 0.25, that training changes', async () => {
    const spec = applyMitigations(
      mlpSpec({
        model: {
          kind: 'mlp',
          depth: 3,
          width: 8,
          activation: 'tanh',
          init: { kind: 'normal', std: 1 },
        },
        training: { steps: 3, batchSize: 16, optimizer: { kind: 'sgd', lr: 0.1 } },
      }),
      'prelu',
    );
    await noLeak(async () => {
      const m = await modelOf(spec, 16);
      const slopes = m.model.variables.filter((v) => v.name.endsWith('prelu/alpha'));
      expect(slopes).toHaveLength(2); // one per hidden layer
      for (const s of slopes) {
        expect(s.trainable).toBe(true);
        expect(s.shape).toEqual([8]); // one per unit
        expect(new Set(await s.data())).toEqual(new Set([0.25]));
      }
      const ctx = stepContext(spec, m.model);
      for (let step = 1; step <= 3; step++) await trainStep(ctx, m.x, m.y, step, 'norms');
      ctx.optimizer.dispose();
      const after = await Promise.all(slopes.map((s) => s.data()));
      const moved = after.flatMap((a) => Array.from(a)).filter((v) => Math.abs(v - 0.25) > 1e-6);
      expect(moved.length).toBeGreaterThan(4);
      m.dispose();
    });
  });
});

describe('activation strategies on recurrent nets', () => {
  it("set the plain rnn cell's activation", () => {
    expect(applyMitigations(rnnSpec(), 'relu').model).toMatchObject({
      kind: 'rnn',
      activation: 'relu',
    });
    expect(applyMitigations(rnnSpec(), 'leaky-relu').model).toMatchObject({
      activation: 'leaky-relu',
    });
  });

  it('refuse what a cell cannot do, saying why', async () => {
    const lstm = await caught(() => applyMitigations(rnnSpec({}, 'lstm'), 'relu'));
    expect(lstm.code).toBe('INVALID_ARGUMENT');
    expect(lstm.message).toContain('relu does not apply here: the lstm cell');
    expect(lstm.message).toContain('rnn+relu');
    const prelu = await caught(() => applyMitigations(rnnSpec(), 'prelu'));
    expect(prelu.message).toContain('prelu does not apply here');
    const alpha = await caught(() => applyMitigations(rnnSpec(), 'leaky-relu:0.2'));
    expect(alpha.message).toContain('fixed at 0.01');
  });
});
