import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { useCpu } from '../test-support.js';
import {
  forgetTfjsBackend,
  reregisterTfjsBackend,
  tfjsBackendFactory,
  tfjsEngineInternals,
} from './tfjs-engine.js';

// These run against the tfjs-core gradlab is installed with: if a tfjs upgrade renames or
// reshapes the engine fields tfjs-engine.ts reads, they fail here rather than in an adapter.

beforeAll(useCpu);

const NAME = 'gl-engine-seam';
afterEach(async () => {
  await tf.setBackend('cpu');
  if (tf.findBackendFactory(NAME)) tf.removeBackend(NAME);
});

/** Registers NAME at `priority`; its instances record whether they were disposed. */
function register(priority: number): { disposed: number } {
  const seen = { disposed: 0 };
  tf.registerBackend(
    NAME,
    () => {
      const backend = new MathBackendCPU();
      const dispose = backend.dispose.bind(backend);
      backend.dispose = () => {
        seen.disposed += 1;
        dispose();
      };
      return backend;
    },
    priority,
  );
  return seen;
}

describe("tfjs's engine internals, as tfjs-engine.ts reads them", () => {
  test('the engine has the three fields, of the shapes declared', () => {
    const engine = tfjsEngineInternals();
    expect(engine.backendName).toBe('cpu');
    expect(typeof engine.registry).toBe('object');
    expect(engine.registry.cpu).toBe(tf.findBackend('cpu'));
    const cpu = engine.registryFactory.cpu;
    expect(typeof cpu?.factory).toBe('function');
    expect(typeof cpu?.priority).toBe('number');
  });

  test('a registered factory is found with its priority; a started instance in the registry', async () => {
    expect(tfjsBackendFactory(NAME)).toBeUndefined();
    register(-7);
    const entry = tfjsBackendFactory(NAME);
    expect(entry?.priority).toBe(-7);
    expect(entry?.factory).toBe(tf.findBackendFactory(NAME));
    expect(tfjsEngineInternals().registry[NAME]).toBeUndefined();
    expect(await tf.setBackend(NAME)).toBe(true);
    expect(tfjsEngineInternals().backendName).toBe(NAME);
    expect(tfjsEngineInternals().registry[NAME]).toBe(tf.findBackend(NAME));
  });

  test('forgetTfjsBackend disposes the instance and forgets the factory; unknown names are no-ops', async () => {
    const seen = register(-7);
    await tf.setBackend(NAME);
    forgetTfjsBackend(NAME);
    expect(seen.disposed).toBe(1);
    expect(tfjsBackendFactory(NAME)).toBeUndefined();
    expect(tfjsEngineInternals().registry[NAME]).toBeUndefined();
    expect(tfjsEngineInternals().backendName).toBeNull();
    expect(() => forgetTfjsBackend(NAME)).not.toThrow();
  });

  test('reregisterTfjsBackend disposes the instance and keeps the backend selectable', async () => {
    const seen = register(-7);
    const factory = tfjsBackendFactory(NAME)?.factory;
    await tf.setBackend(NAME);
    reregisterTfjsBackend(NAME);
    expect(seen.disposed).toBe(1);
    expect(tfjsEngineInternals().registry[NAME]).toBeUndefined();
    expect(tfjsBackendFactory(NAME)).toEqual({ factory, priority: -7 });
    expect(await tf.setBackend(NAME)).toBe(true);
  });

  test('reregisterTfjsBackend registers a kept factory even when none is registered now', () => {
    register(-7);
    const kept = tfjsBackendFactory(NAME);
    forgetTfjsBackend(NAME);
    reregisterTfjsBackend(NAME, kept ?? null);
    expect(tfjsBackendFactory(NAME)).toEqual(kept);
  });

  test('reregisterTfjsBackend with null only forgets', () => {
    register(-7);
    reregisterTfjsBackend(NAME, null);
    expect(tfjsBackendFactory(NAME)).toBeUndefined();
  });
});
