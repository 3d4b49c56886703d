import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { type BackendAdapter, defineTfjsAdapter, GradlabError } from '../index.js';
import { caught, useCpu } from '../test-support.js';

beforeAll(useCpu);

const names: string[] = [];
afterEach(async () => {
  await tf.setBackend('cpu');
  for (const name of names.splice(0)) if (tf.findBackendFactory(name)) tf.removeBackend(name);
});

/**
 * An adapter for a tfjs backend named `name` that `load` registers: a working CPU backend, or
 * one whose factory throws (tfjs then answers setBackend with false). Counts loads.
 */
function adapter(name: string, works = true): BackendAdapter & { loads: number } {
  names.push(name);
  const a = defineTfjsAdapter({
    name: `gl-${name}`,
    tfjsBackend: name,
    priority: 1,
    platforms: ['node'],
    description: 'test adapter',
    probe: async () => ({ available: true, detail: 'test' }),
    load: async () => {
      counter.loads += 1;
      if (!tf.findBackendFactory(name)) {
        tf.registerBackend(name, () => {
          if (!works) throw new Error('no device');
          return new MathBackendCPU();
        });
      }
    },
    describe: async () => ({
      device: 'test device',
      floatPrecision: 32,
      epsilon: 2 ** -23,
      capabilities: { syncReadback: true, multithreaded: false },
      versions: { test: '1' },
    }),
  });
  const counter = Object.assign(a, { loads: 0 });
  return counter;
}

describe('defineTfjsAdapter', () => {
  test('activate loads once, switches tfjs to the backend and describes it', async () => {
    const a = adapter('gl-test-ok');
    const info = await a.activate();
    expect(info).toMatchObject({
      name: 'gl-gl-test-ok',
      tfjsBackend: 'gl-test-ok',
      device: 'test device',
    });
    expect(tf.getBackend()).toBe('gl-test-ok');
    await tf.setBackend('cpu');
    await a.activate();
    expect(tf.getBackend()).toBe('gl-test-ok');
    expect(a.loads).toBe(1);
  });

  test('a backend that fails to start is BACKEND_INIT_FAILED, and a later call tries again', async () => {
    const a = adapter('gl-test-broken', false);
    // tfjs reports why a backend failed as a console warning.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const loads of [1, 2]) {
      const e = await caught(() => a.activate());
      expect(e).toBeInstanceOf(GradlabError);
      expect((e as GradlabError).code).toBe('BACKEND_INIT_FAILED');
      expect((e as GradlabError).message).toContain('gl-test-broken');
      expect(a.loads).toBe(loads);
    }
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  test('release frees the backend; a later activate starts it again', async () => {
    const a = adapter('gl-test-release');
    await a.activate();
    await tf.setBackend('cpu');
    await a.release();
    expect(tf.engine().registry['gl-test-release']).toBeUndefined();
    expect(tf.findBackendFactory('gl-test-release')).not.toBeNull();
    await a.activate();
    expect(tf.getBackend()).toBe('gl-test-release');
    expect(a.loads).toBe(2);
  });
});
