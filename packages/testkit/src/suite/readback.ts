import type { ExperimentSpecInput } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { KitContext } from '../context.js';
import { type LoggedRun, runLogged } from '../runs.js';
import { tinyLstm, tinyMlp } from './tiny-specs.js';

// 'readback/async-only': gradlab reads the device back with await data() only, which a backend
// without synchronous read-back (WebGPU in Node) depends on. Checked by making dataSync and
// arraySync throw on the backend's tensors during runs that take every read-back path.

/** Runs that between them take every read-back path, and the outcome each must have. */
const readbackRuns = (): [string, ExperimentSpecInput, 'complete' | 'non-finite'][] => [
  [
    'batchnorm MLP, full diagnostics every step',
    {
      ...tinyMlp(3, 3),
      data: {
        kind: 'teacher',
        task: 'classification',
        inputSize: 4,
        outputSize: 3,
        samples: 32,
      },
      model: { kind: 'mlp', depth: 3, width: 6, activation: 'relu', norm: 'batchnorm' },
      training: {
        steps: 3,
        batchSize: 8,
        optimizer: { kind: 'adam', lr: 0.01 },
        clip: { kind: 'global-norm', maxNorm: 1 },
      },
      diagnostics: { every: 1 },
    },
    'complete',
  ],
  [
    'LSTM, full diagnostics every step',
    { ...tinyLstm(3, 3), diagnostics: { every: 1 } },
    'complete',
  ],
  [
    // Overflows on the first step: the NaN/Inf count takes its second read-back.
    'an exploding linear MLP',
    {
      ...tinyMlp(3, 2),
      model: {
        kind: 'mlp',
        depth: 14,
        width: 8,
        activation: 'linear',
        init: { kind: 'normal', std: 1000 },
      },
      diagnostics: { every: 1 },
    },
    'non-finite',
  ],
];

export async function checkAsyncReadback(ctx: KitContext): Promise<void> {
  const info = await ctx.onBackend();
  const target = tf.findBackend(info.tfjsBackend);
  const tensorInfo = (
    tf.engine() as unknown as { state: { tensorInfo: WeakMap<object, { backend: unknown }> } }
  ).state.tensorInfo;
  const proto = tf.Tensor.prototype as unknown as Record<
    'dataSync' | 'arraySync',
    (...args: unknown[]) => unknown
  >;
  const originals = { dataSync: proto.dataSync, arraySync: proto.arraySync };
  const calls: string[] = [];
  const guard = (method: 'dataSync' | 'arraySync') =>
    function (this: tf.Tensor, ...args: unknown[]) {
      const owner = tensorInfo.get(this.dataId)?.backend;
      if (owner === target || (owner === undefined && tf.getBackend() === info.tfjsBackend)) {
        const e = new Error(
          `${method}() was called on a ${info.tfjsBackend} tensor of shape [${this.shape}]: gradlab must read back with await data() only`,
        );
        calls.push(e.stack ?? e.message);
        throw e;
      }
      return originals[method].apply(this, args);
    };
  const runs = readbackRuns();
  proto.dataSync = guard('dataSync');
  proto.arraySync = guard('arraySync');
  const outcomes: LoggedRun[] = [];
  try {
    for (const [, spec] of runs) outcomes.push(await runLogged(spec));
  } finally {
    proto.dataSync = originals.dataSync;
    proto.arraySync = originals.arraySync;
  }
  expect(calls, `synchronous read-backs:\n${calls[0] ?? ''}`).toEqual([]);
  runs.forEach(([label, , expected], i) => {
    const r = outcomes[i]?.result;
    expect(r?.status, label).toBe('complete');
    if (expected === 'non-finite') expect(r?.worstVerdict, label).toBe('non-finite');
  });
}
