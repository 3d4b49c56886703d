/**
 * What is particular to the wasm adapter; everything every backend must do is in
 * index.test.ts, the conformance kit.
 */
import { cpuBackend } from '@gradlab/backend-cpu';
import { matMul, registerBackend, useBackend } from '@gradlab/core';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import wasmDefault, { wasmBackend } from './index.js';

beforeAll(() => {
  registerBackend(cpuBackend);
  registerBackend(wasmBackend);
});

describe('wasm adapter', () => {
  test('is the default export, priority 20 (above cpu), for node and browser', () => {
    expect(wasmDefault).toBe(wasmBackend);
    expect(wasmBackend.name).toBe('wasm');
    expect(wasmBackend.priority).toBe(20);
    expect(wasmBackend.priority).toBeGreaterThan(cpuBackend.priority);
    expect([...wasmBackend.platforms].sort()).toEqual(['browser', 'node']);
  });

  test('describes WebAssembly, 32-bit float, and the tfjs-backend-wasm version', async () => {
    const info = await wasmBackend.activate();
    expect(info.tfjsBackend).toBe('wasm');
    expect(info.floatPrecision).toBe(32);
    expect(info.device).toMatch(/^WebAssembly/);
    expect(info.capabilities.syncReadback).toBe(true);
    expect(info.versions['@tensorflow/tfjs-backend-wasm']).toBe(version_wasm);
  });

  test('auto picks wasm over cpu', async () => {
    await useBackend('cpu');
    const selection = await useBackend('auto');
    expect(selection.info.name).toBe('wasm');
    expect(selection.skipped).toEqual([]);
    expect(tf.getBackend()).toBe('wasm');
  });
});

/** Records the transpose flags of every BatchMatMul the given backend runs while `fn` runs. */
async function recordMatMulFlags<T>(
  backend: string,
  fn: () => T | Promise<T>,
): Promise<{ result: T; calls: { transposeA: boolean; transposeB: boolean }[] }> {
  const original = tf.getKernel('BatchMatMul', backend);
  if (!original) throw new Error(`no BatchMatMul kernel on ${backend}`);
  const calls: { transposeA: boolean; transposeB: boolean }[] = [];
  tf.unregisterKernel('BatchMatMul', backend);
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
      calls.push({ transposeA: Boolean(attrs.transposeA), transposeB: Boolean(attrs.transposeB) });
      return original.kernelFunc(args);
    },
  });
  try {
    return { result: await fn(), calls };
  } finally {
    tf.unregisterKernel('BatchMatMul', backend);
    tf.registerKernel(original);
  }
}

/** A deterministic pseudo-random matrix with entries in [-1, 1). */
function matrix(rows: number, cols: number, seed: number): tf.Tensor2D {
  let s = seed >>> 0 || 1;
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < values.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    values[i] = s / 2 ** 31 - 1;
  }
  return tf.tensor2d(values, [rows, cols]);
}

// The kit checks the explicit-transpose gradient's numbers on every backend ('gradient/matMul');
// why gradlab has it is wasm's slow transposed matMul, so the absence of transpose flags is
// checked here, at the size of the reference workload too.
describe('the explicit-transpose matMul gradient runs no transposed matMul on wasm', () => {
  test.each([
    [3, 5, 4],
    [33, 17, 65],
    [128, 256, 256],
  ])('[%i x %i] @ [.. x %i]', async (m, k, n) => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const a = matrix(m, k, m * 1000 + k);
    const b = matrix(k, n, k * 1000 + n + 7);
    const dy = matrix(m, n, m + n + 3);
    const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      matMul(x as tf.Tensor2D, y as tf.Tensor2D),
    );
    const stock = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y));

    const { result: oursOut, calls: oursCalls } = await recordMatMulFlags('wasm', () =>
      ours([a, b], dy),
    );
    const { result: stockOut, calls: stockCalls } = await recordMatMulFlags('wasm', () =>
      stock([a, b], dy),
    );
    // The value, then da = dy b^T and db = a^T dy, computed with plain (untransposed) matMuls;
    // the stock gradient asks the kernel for transposed operands.
    expect(oursCalls).toHaveLength(3);
    expect(oursCalls.every((c) => !c.transposeA && !c.transposeB)).toBe(true);
    expect(stockCalls.some((c) => c.transposeA || c.transposeB)).toBe(true);

    tf.dispose([a, b, dy, ...oursOut, ...stockOut]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
