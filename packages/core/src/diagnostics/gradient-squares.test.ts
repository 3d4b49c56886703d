import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fixture, memory, stepOnce, useCpu } from '../test-support.js';
import { needsExact, resolveGradientNorms, TRUSTED_SQUARES_PER_ENTRY } from './gradient-squares.js';

beforeAll(useCpu);

describe('needsExact', () => {
  test('a sum of squares is trusted from n * 1.2e-32 up, and while it is finite', () => {
    expect(needsExact(1, 1000)).toBe(false);
    expect(needsExact(1000 * TRUSTED_SQUARES_PER_ENTRY, 1000)).toBe(false);
    expect(needsExact(999 * TRUSTED_SQUARES_PER_ENTRY, 1000)).toBe(true);
    expect(needsExact(0, 10)).toBe(true); // all zeros, or all underflowed: only the data can say
    expect(needsExact(Number.POSITIVE_INFINITY, 10)).toBe(true); // an overflow, or an Inf entry
    expect(needsExact(Number.NaN, 10)).toBe(false); // NaN is NaN either way
  });
});

describe('resolveGradientNorms', () => {
  test('trusted sums become their square roots; the others are recomputed from the tensors', async () => {
    const before = memory();
    const tiny = tf.tensor1d([3e-25, 4e-25]);
    const huge = tf.tensor1d([3e25, 4e25]);
    const plain = tf.tensor1d([3, 4]);
    const zero = tf.zeros([2]);
    const tensors = [plain, tiny, huge, zero];
    // What tier 1 packs: float32 sums of squares (0 for tiny, Infinity for huge).
    const packed = Float32Array.from([25, 0, Number.POSITIVE_INFINITY, 0]);
    const squares = tensors.map((t, slot) => ({ slot, parameter: t, size: t.size }));
    const r = await resolveGradientNorms(packed, squares, (p) => p);
    expect(r.values[0]).toBe(5);
    expect(Math.abs((r.values[1] as number) / 5e-25 - 1)).toBeLessThan(1e-6);
    expect(Math.abs((r.values[2] as number) / 5e25 - 1)).toBeLessThan(1e-6);
    expect(r.values[3]).toBe(0);
    expect(Math.abs(r.global / Math.hypot(5, 5e-25, 5e25) - 1)).toBeLessThan(1e-6);
    tf.dispose(tensors);
    expect(memory()).toEqual(before);
  });
});

describe('the training step reads back once when its gradients are ordinary', () => {
  const original = tf.Tensor.prototype.data;
  let reads = 0;
  afterEach(() => {
    tf.Tensor.prototype.data = original;
  });
  const countReads = () => {
    reads = 0;
    tf.Tensor.prototype.data = function (this: tf.Tensor) {
      reads += 1;
      return original.call(this) as ReturnType<typeof original>;
    } as typeof original;
  };

  test('a healthy tanh net: one read-back', async () => {
    const net = await fixture();
    countReads();
    const r = await stepOnce(net, 'norms');
    tf.Tensor.prototype.data = original;
    expect(reads).toBe(1);
    expect(r.diagnostics?.layers.every((l) => l.gradNorm > 1e-6)).toBe(true);
    net.model.dispose();
  });

  test('a deep sigmoid net with gradients of 1e-25: a second read-back makes them exact', async () => {
    const net = await fixture({
      model: {
        kind: 'mlp',
        depth: 12,
        width: 8,
        activation: 'sigmoid',
        init: { kind: 'normal', std: 0.01 },
      },
    });
    countReads();
    const r = await stepOnce(net, 'norms');
    tf.Tensor.prototype.data = original;
    expect(reads).toBe(2);
    expect(r.diagnostics?.layers[0]?.gradNorm).toBeGreaterThan(0);
    expect(r.diagnostics?.layers[0]?.gradNorm).toBeLessThan(1e-19);
    net.model.dispose();
  });
});
