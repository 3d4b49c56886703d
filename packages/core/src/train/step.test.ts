import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { computeLoss, type GradientTransform } from '../index.js';
import {
  assign,
  caught,
  expectClose,
  type Fixture,
  fixture,
  memory,
  norm,
  readMatrix,
  stepOnce,
  useCpu,
} from '../test-support.js';

beforeAll(useCpu);

let net: Fixture | null = null;
afterEach(() => {
  net?.model.dispose();
  net = null;
});

/** depth 2, 4 inputs -> 3 hidden (linear) -> 2 outputs. */
async function linearNet(): Promise<Fixture> {
  net = await fixture({
    model: { kind: 'mlp', depth: 2, width: 3, activation: 'linear', init: 'xavier-uniform' },
  });
  return net;
}

describe('NaN and Inf in the gradients', () => {
  // One non-finite entry W2[0][1] makes output column 1 non-finite, so dL/dW2 is non-finite in
  // column 1 only (3 entries) and dL/db2 in entry 1: 4 of the output layer's 8 parameters. The
  // signal back to the hidden layer mixes both columns: all 15 of its parameters.
  test.each([
    ['NaN', Number.NaN],
    ['Inf', Number.POSITIVE_INFINITY],
  ])('%s entries are counted per layer', async (_, bad) => {
    const f = await linearNet();
    const output = f.model.layers[1]?.kernel as tf.Variable;
    const w2 = await readMatrix(output);
    (w2[0] as number[])[1] = bad;
    assign(output, w2);

    const { diagnostics: d } = await stepOnce(f, 'norms');
    expect(d?.layers.map((l) => l.nonFinite)).toEqual([15, 4]);
    expect(d?.layers.map((l) => l.verdict)).toEqual(['non-finite', 'non-finite']);
    expect(d?.verdict).toBe('non-finite');
    expect(Number.isFinite(d?.globalGradNorm)).toBe(false);
  });

  test('a non-finite loss makes the step non-finite', async () => {
    const f = await linearNet();
    const x = f.x.map((r) => [...r]);
    (x[0] as number[])[0] = Number.NaN;
    const { loss, diagnostics: d } = await stepOnce({ ...f, x }, 'full');
    expect(loss).toBeNaN();
    expect(d?.loss).toBeNaN();
    expect(d?.verdict).toBe('non-finite');
    // Every gradient entry sums over the NaN example.
    expect(d?.layers.map((l) => l.nonFinite)).toEqual([15, 8]);
  });

  test('finite gradients count nothing', async () => {
    const { diagnostics: d } = await stepOnce(await linearNet(), 'norms');
    expect(d?.layers.map((l) => l.nonFinite)).toEqual([0, 0]);
    expect(d?.verdict).toBe('healthy');
  });
});

test('with normalisation layers, the global norm covers their scale and shift too', async () => {
  net = await fixture({
    model: { kind: 'mlp', depth: 3, width: 4, activation: 'tanh', norm: 'batchnorm' },
  });
  const { model } = net;
  const x = tf.tensor(net.x);
  const y = tf.tensor(net.y);
  const { grads } = tf.variableGrads(
    () => computeLoss('mse', model.forward(x, null).output, y),
    [...model.variables],
  );
  const byName = new Map(Object.entries(grads).map(([k, g]) => [k, Array.from(g.dataSync())]));
  tf.dispose([x, y, ...Object.values(grads)]);
  expect(model.layers[0]?.extra).toHaveLength(2);

  const { diagnostics: d } = await stepOnce(net, 'norms');
  expectClose(d?.globalGradNorm, norm([...byName.values()].flat()));
  model.layers.forEach((g, i) => {
    expectClose(d?.layers[i]?.gradNorm, norm(byName.get(g.kernel.name) as number[]));
  });
});

describe('gradient transforms', () => {
  const zeroAll: GradientTransform = {
    name: 'zero',
    apply: (grads) => ({
      grads: grads.map((g) => tf.zerosLike(g)),
      telemetry: { preNorm: tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar },
    }),
  };

  test('diagnostics describe the gradients before the transform, the update uses its output', async () => {
    const f = await linearNet();
    const before = await readMatrix(f.model.layers[0]?.kernel as tf.Variable);
    const plain = await fixture({
      model: { kind: 'mlp', depth: 2, width: 3, activation: 'linear', init: 'xavier-uniform' },
    });
    const reference = (await stepOnce(plain, 'full')).diagnostics;
    plain.model.dispose();

    const { diagnostics: d } = await stepOnce(f, 'full', { transforms: [zeroAll] });
    expectClose(d?.globalGradNorm, reference?.globalGradNorm as number);
    expectClose(d?.telemetry['zero.preNorm'], reference?.globalGradNorm as number);
    expect(d?.layers.map((l) => l.updateToWeight)).toEqual([0, 0]);
    expect(await readMatrix(f.model.layers[0]?.kernel as tf.Variable)).toEqual(before);
  });
});

describe('tensors', () => {
  test('a step leaves no tensor behind, in every mode', async () => {
    const f = await linearNet();
    for (const mode of ['bare', 'norms', 'full'] as const) {
      const start = memory();
      await stepOnce(f, mode);
      expect(memory(), mode).toEqual(start);
    }
  });

  test('a non-finite step leaves no tensor behind', async () => {
    const f = await linearNet();
    const output = f.model.layers[1]?.kernel as tf.Variable;
    const w2 = await readMatrix(output);
    (w2[0] as number[])[0] = Number.NaN;
    assign(output, w2);
    const start = memory();
    await stepOnce(f, 'full');
    expect(memory()).toEqual(start);
  });

  test('a transform that throws leaves no tensor behind', async () => {
    const f = await linearNet();
    const failing: GradientTransform = {
      name: 'failing',
      apply: () => {
        throw new Error('transform failed');
      },
    };
    for (const mode of ['norms', 'full'] as const) {
      const start = memory();
      const e = await caught(() => stepOnce(f, mode, { transforms: [failing] }));
      expect((e as Error).message).toBe('transform failed');
      expect(memory(), mode).toEqual(start);
    }
  });
});
