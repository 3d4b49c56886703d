import {
  BACKEND_SPEC_VERSION,
  getBackendAdapter,
  parseSpec,
  type RunEvent,
  registerBackend,
  runExperiment,
  useBackend,
} from '@gradlab/core';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import cpuDefault, { cpuBackend } from './index.js';

beforeAll(() => {
  registerBackend(cpuBackend);
});

describe('cpu adapter', () => {
  test('declares itself as the priority-10 adapter of spec version 1 for node and browser', () => {
    expect(cpuDefault).toBe(cpuBackend);
    expect(cpuBackend.specVersion).toBe(BACKEND_SPEC_VERSION);
    expect(cpuBackend.name).toBe('cpu');
    expect(cpuBackend.priority).toBe(10);
    expect([...cpuBackend.platforms].sort()).toEqual(['browser', 'node']);
    expect(cpuBackend.description.length).toBeGreaterThan(0);
    expect(getBackendAdapter('cpu')).toBe(cpuBackend);
  });

  test('probes available without initialising or selecting a tfjs backend', async () => {
    const before = tf.getBackend();
    const probe = await cpuBackend.probe();
    expect(probe.available).toBe(true);
    if (probe.available) expect(probe.detail.length).toBeGreaterThan(0);
    expect(tf.getBackend()).toBe(before);
  });

  test('activates the tfjs cpu backend and describes it as 32-bit float', async () => {
    const info = await cpuBackend.activate();
    expect(tf.getBackend()).toBe('cpu');
    expect(info.name).toBe('cpu');
    expect(info.tfjsBackend).toBe('cpu');
    expect(info.floatPrecision).toBe(32);
    expect(info.epsilon).toBe(2 ** -23);
    expect(info.device).toMatch(/CPU/);
    expect(info.capabilities).toEqual({ syncReadback: true, multithreaded: false });
    expect(info.versions['@tensorflow/tfjs-backend-cpu']).toBe(version_cpu);
    // Activating again is idempotent and reports the same thing.
    expect(await cpuBackend.activate()).toEqual(info);
    expect(tf.getBackend()).toBe('cpu');
  });

  test('useBackend("cpu") goes through the registry to the same adapter', async () => {
    const selection = await useBackend('cpu');
    expect(selection.info.name).toBe('cpu');
    expect(selection.skipped).toEqual([]);
    expect(tf.getBackend()).toBe('cpu');
  });

  test('release() disposes the backend and a later activate() starts it again', async () => {
    await cpuBackend.activate();
    const instance = tf.engine().registry.cpu;
    expect(instance).toBeDefined();

    await cpuBackend.release();
    expect(tf.engine().registry.cpu).toBeUndefined();
    expect(tf.getBackend()).not.toBe('cpu');
    // The tfjs factory survives the release, so the backend can be created again.
    expect(tf.engine().registryFactory.cpu).toBeDefined();

    const info = await cpuBackend.activate();
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.engine().registry.cpu).toBeDefined();
    expect(tf.engine().registry.cpu).not.toBe(instance);
    const sum = tf.add(tf.tensor1d([1, 2, 3]), tf.tensor1d([10, 20, 30]));
    expect(Array.from(await sum.data())).toEqual([11, 22, 33]);
    tf.dispose(sum);

    // Releasing twice is harmless, and so is activating after it.
    await cpuBackend.release();
    await cpuBackend.release();
    await cpuBackend.activate();
    expect(tf.getBackend()).toBe('cpu');
  });

  test('a tiny experiment runs on cpu and leaves no tensor behind', async () => {
    await useBackend('cpu');
    const spec = parseSpec({
      gradlab: 1,
      seed: 3,
      data: { kind: 'teacher', inputSize: 6, outputSize: 2, samples: 64 },
      model: { kind: 'mlp', depth: 3, width: 8, activation: 'tanh' },
      training: { steps: 6, batchSize: 8, optimizer: { kind: 'adam', lr: 0.01 } },
      diagnostics: { every: 2 },
    });
    const before = tf.memory();
    const events: RunEvent[] = [];
    const result = await runExperiment(spec, { listeners: [(e) => void events.push(e)] });
    const after = tf.memory();

    expect(result.status).toBe('complete');
    expect(result.backend).toBe('cpu');
    expect(result.stepsCompleted).toBe(6);
    expect(Number.isFinite(result.loss.first)).toBe(true);
    expect(Number.isFinite(result.loss.last)).toBe(true);
    expect(result.final?.step).toBe(6);
    expect(result.final?.layers.map((l) => l.name)).toEqual(['dense1', 'dense2', 'output']);
    for (const l of result.final?.layers ?? []) {
      expect(l.gradNorm).toBeGreaterThan(0);
      expect(Number.isFinite(l.gradNorm)).toBe(true);
    }
    const start = events[0];
    expect(start?.type === 'start' && start.info.backend).toBe('cpu');
    expect(events.filter((e) => e.type === 'step')).toHaveLength(6);

    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(tf.getBackend()).toBe('cpu');
  });
});
