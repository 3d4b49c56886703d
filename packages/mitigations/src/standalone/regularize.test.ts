import type { GradientTransform } from '@gradlab/core';
import { expectClose, useCpu } from '@gradlab/testkit/helpers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMitigations } from '../catalogue.js';
import { mlpSpec, modelOf, noLeak, run, stepContext, trainStep } from '../test-support.js';
import { clipWeights, weightPenalty } from './regularize.js';

beforeAll(useCpu);

describe('weightPenalty: the gradient it adds', () => {
  const w0 = [0.5, -0.25, 0, 2, -3, 0.125];

  /** d(dataLoss + penalty)/dw - d(dataLoss)/dw. */
  async function addedGradient(l1: number, l2: number): Promise<number[]> {
    const w = tf.tidy(() => tf.variable(tf.tensor2d(w0, [2, 3])));
    const x = tf.tensor2d([1, -2], [1, 2]);
    const dataLoss = () => tf.sum(tf.square(tf.matMul(x, w))) as tf.Scalar;
    const plain = tf.variableGrads(dataLoss, [w]);
    const penalised = tf.variableGrads(
      () => tf.add(dataLoss(), weightPenalty([w], l1, l2)) as tf.Scalar,
      [w],
    );
    const a = await (plain.grads[w.name] as tf.Tensor).data();
    const b = await (penalised.grads[w.name] as tf.Tensor).data();
    tf.dispose([w, x, plain.value, penalised.value, ...Object.values(plain.grads)]);
    tf.dispose(Object.values(penalised.grads));
    return Array.from(b, (v, i) => v - (a[i] as number));
  }

  it('L2 adds exactly 2 * lambda * w', async () => {
    const added = await noLeak(() => addedGradient(0, 0.3));
    added.forEach((g, i) => {
      expectClose(g, 2 * 0.3 * (w0[i] as number), 1e-5, 1e-6);
    });
  });

  it('L1 adds exactly lambda * sign(w) (0 at w = 0)', async () => {
    const added = await noLeak(() => addedGradient(0.2, 0));
    added.forEach((g, i) => {
      expectClose(g, 0.2 * Math.sign(w0[i] as number), 1e-5, 1e-6);
    });
  });

  it('its value is l1 * sum |w| + l2 * sum w^2', async () => {
    await noLeak(async () => {
      const a = tf.tensor1d([1, -2]);
      const b = tf.tensor1d([3]);
      const p = weightPenalty([a, b], 0.1, 0.01);
      expectClose((await p.data())[0] as number, 0.1 * 6 + 0.01 * 14, 1e-6);
      tf.dispose([a, b, p]);
    });
  });
});

describe('l1 and l2 in a training step (core trainStep, via applyMitigations)', () => {
  /** One SGD step of two identical models, with and without the penalty: kernel and bias deltas. */
  async function deltas(variant: string) {
    const base = mlpSpec({
      training: { steps: 1, batchSize: 16, optimizer: { kind: 'sgd', lr: 0.5 } },
    });
    const spec = applyMitigations(base, variant);
    const a = await modelOf(base);
    const b = await modelOf(spec);
    const w0 = await a.model.layers[1]?.kernel.data();
    const b0 = await a.model.layers[1]?.bias?.data();
    const ctxA = stepContext(base, a.model);
    const ctxB = stepContext(spec, b.model);
    await trainStep(ctxA, a.x, a.y, 1, 'norms');
    await trainStep(ctxB, b.x, b.y, 1, 'norms');
    const read = async (m: typeof a.model) => ({
      kernel: await m.layers[1]?.kernel.data(),
      bias: await m.layers[1]?.bias?.data(),
    });
    const ra = await read(a.model);
    const rb = await read(b.model);
    ctxA.optimizer.dispose();
    ctxB.optimizer.dispose();
    a.dispose();
    b.dispose();
    return { spec, w0: w0 as Float32Array, b0, ra, rb };
  }

  it('l2:lambda moves each kernel weight by an extra -lr * 2 * lambda * w; biases as without', async () => {
    const { spec, w0, ra, rb } = await noLeak(() => deltas('l2:0.1'));
    expect(spec.training.regularization).toEqual({ l1: 0, l2: 0.1 });
    w0.forEach((w, i) => {
      expectClose(
        (rb.kernel?.[i] as number) - (ra.kernel?.[i] as number),
        -0.5 * 2 * 0.1 * w,
        1e-4,
        1e-6,
      );
    });
    expect(Array.from(rb.bias ?? [])).toEqual(Array.from(ra.bias ?? []));
  });

  it('l1:lambda moves each kernel weight by an extra -lr * lambda * sign(w)', async () => {
    const { spec, w0, ra, rb } = await noLeak(() => deltas('l1:0.01'));
    expect(spec.training.regularization).toEqual({ l1: 0.01, l2: 0 });
    w0.forEach((w, i) => {
      expectClose(
        (rb.kernel?.[i] as number) - (ra.kernel?.[i] as number),
        -0.5 * 0.01 * Math.sign(w),
        1e-4,
        1e-6,
      );
    });
  });
});

describe('weight clipping', () => {
  it('clipWeights clamps every weight in place', async () => {
    await noLeak(async () => {
      const v = tf.tidy(() => tf.variable(tf.tensor1d([-2, -0.05, 0, 0.3, 5])));
      clipWeights([v], 0.1);
      expect(Array.from(await v.data())).toEqual([-0.1, -0.05, 0, 0.1, 0.1].map(Math.fround));
      v.dispose();
    });
  });

  it('weight-clip bounds every weight after every update of a run, while gradients are not bounded', async () => {
    const limit = 0.05;
    const spec = applyMitigations(
      mlpSpec({
        model: { kind: 'mlp', depth: 3, width: 8, activation: 'relu', init: 'he-normal' },
      }),
      `weight-clip:${limit}+lr:0.5`,
    );
    expect(spec.training.weightClip).toEqual({ limit });
    // A transform that only observes: the weights it sees at step k are those after update
    // k - 1 (and its clipping); also the largest gradient entry.
    const observe: GradientTransform = {
      name: 'observe',
      apply: (grads, variables) => ({
        grads: [...grads],
        telemetry: {
          maxWeight: tf.max(tf.stack(variables.map((v) => tf.max(tf.abs(v))))) as tf.Scalar,
          maxGrad: tf.max(tf.stack(grads.map((g) => tf.max(tf.abs(g))))) as tf.Scalar,
        },
      }),
    };
    const { result, events } = await noLeak(() =>
      run({ ...spec, training: { ...spec.training, steps: 6 } }, { transforms: [observe] }),
    );
    expect(result.status).toBe('complete');
    const telemetry = events.flatMap((e) => (e.type === 'step' ? [e.diagnostics?.telemetry] : []));
    expect(telemetry).toHaveLength(6);
    expect(telemetry[0]?.['observe.maxWeight']).toBeGreaterThan(limit); // He init, before any clip
    for (const t of telemetry.slice(1))
      expect(t?.['observe.maxWeight']).toBeLessThanOrEqual(Math.fround(limit));
    expect(Math.max(...telemetry.map((t) => t?.['observe.maxGrad'] ?? 0))).toBeGreaterThan(limit);
  });
});
