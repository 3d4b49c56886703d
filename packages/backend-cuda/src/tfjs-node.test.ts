import {
  isGradlabError,
  parseSpec,
  registerBackend,
  runExperiment,
  unregisterBackend,
  useBackend,
} from '@gradlab/core';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCudaBackend, createTfjsNodeBackend } from './index.js';
import { fakeTfjsNode } from './test-fake-tfjs-node.js';

// A file of its own: which native package a process has loaded is per process (module state).
describe('the tfjs-node adapter through a stand-in @tensorflow/tfjs-node', () => {
  // The CPU build's backend reports isUsingGpuDevice false.
  const fake = fakeTfjsNode({ gpu: false });
  const adapter = createTfjsNodeBackend({ load: fake.load });

  beforeAll(async () => {
    expect(await tf.setBackend('cpu')).toBe(true);
    registerBackend(adapter);
  });
  afterAll(async () => {
    await adapter.release();
    unregisterBackend('tfjs-node');
  });

  test('probes available, leaving tfjs on the backend it was on', async () => {
    expect(await adapter.probe()).toEqual({
      available: true,
      detail: '@tensorflow/tfjs-node 4.22.0 loaded; TensorFlow 2.9.1 on the CPU',
    });
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.engine().registry.tensorflow).toBeUndefined();
  });

  test('activates as native CPU and runs a tiny experiment through useBackend("tfjs-node")', async () => {
    const { info } = await useBackend('tfjs-node');
    expect(info).toEqual({
      name: 'tfjs-node',
      tfjsBackend: 'tensorflow',
      device: 'TensorFlow C library (native CPU)',
      floatPrecision: 32,
      epsilon: 2 ** -23,
      capabilities: { syncReadback: true, multithreaded: true },
      versions: {
        '@tensorflow/tfjs-core': tf.version_core,
        '@tensorflow/tfjs-node': '4.22.0',
        libtensorflow: '2.9.1',
      },
    });
    const result = await runExperiment(
      parseSpec({
        gradlab: 1,
        seed: 2,
        data: { kind: 'teacher', inputSize: 5, outputSize: 2, samples: 48 },
        model: { kind: 'mlp', depth: 3, width: 6, activation: 'relu', init: 'he-normal' },
        training: { steps: 4, batchSize: 8, optimizer: { kind: 'adam', lr: 0.01 } },
        diagnostics: { every: 2 },
      }),
    );
    expect(result.status).toBe('complete');
    expect(result.backend).toBe('tensorflow');
    expect(Number.isFinite(result.loss.last)).toBe(true);
  });

  test('with tfjs-node loaded, the cuda adapter says tfjs-node-gpu cannot load beside it, and refuses to activate', async () => {
    const gpuFake = fakeTfjsNode({ gpu: true });
    const cuda = createCudaBackend({ load: gpuFake.load });
    const probe = await cuda.probe();
    expect(probe).toEqual({
      available: false,
      reason:
        '@tensorflow/tfjs-node is already loaded in this process, and @tensorflow/tfjs-node-gpu cannot load beside it (both bind TensorFlow\'s C library and register the tfjs "tensorflow" backend)',
      hint: 'select this backend alone (`--backend cuda`) so that only @tensorflow/tfjs-node-gpu loads, or uninstall one of the two packages',
    });
    const error = await cuda.activate().catch((e: unknown) => e);
    expect(isGradlabError(error) && error.code).toBe('BACKEND_INIT_FAILED');
    expect(gpuFake.loads()).toBe(0);
  });
});
