import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  BACKEND_SPEC_VERSION,
  type BackendAdapter,
  type BackendInfo,
  GradlabError,
  getBackendAdapter,
  listBackends,
  type ProbeResult,
  probeBackends,
  registerBackend,
  unregisterBackend,
  useBackend,
} from '../index.js';
import { caught, useCpu } from '../test-support.js';

beforeAll(useCpu);

const registered: string[] = [];
afterEach(() => {
  for (const name of registered.splice(0)) unregisterBackend(name);
});

const info = (name: string): BackendInfo => ({
  name,
  tfjsBackend: 'cpu',
  device: `fake ${name}`,
  floatPrecision: 32,
  epsilon: 2 ** -23,
  capabilities: { syncReadback: true, multithreaded: false },
  versions: {},
});

interface FakeOptions {
  priority?: number;
  probe?: () => Promise<ProbeResult>;
  activate?: () => Promise<BackendInfo>;
  platforms?: BackendAdapter['platforms'];
}

/** A fake adapter that activates tfjs's cpu backend and counts its activations. */
function makeFake(
  name: string,
  o: FakeOptions = {},
): BackendAdapter & { activations: number; probes: number } {
  const probe =
    o.probe ?? (async (): Promise<ProbeResult> => ({ available: true, detail: 'always' }));
  const adapter = {
    specVersion: BACKEND_SPEC_VERSION,
    name,
    priority: o.priority ?? 10,
    platforms: o.platforms ?? ['node', 'browser'],
    description: `fake backend ${name}`,
    activations: 0,
    probes: 0,
    probe() {
      adapter.probes += 1;
      return probe();
    },
    async activate() {
      adapter.activations += 1;
      if (o.activate) return o.activate();
      await tf.setBackend('cpu');
      return info(name);
    },
    async release() {},
  };
  return adapter;
}

/** makeFake, registered until the end of the test. */
function fake(name: string, o: FakeOptions = {}): ReturnType<typeof makeFake> {
  const adapter = makeFake(name, o);
  registerBackend(adapter);
  registered.push(name);
  return adapter;
}

const unavailable = (reason: string, hint: string) => async (): Promise<ProbeResult> => ({
  available: false,
  reason,
  hint,
});

describe('registration', () => {
  test('a wrong specVersion is rejected', async () => {
    const adapter = { ...makeFake('v2'), specVersion: 2 } as unknown as BackendAdapter;
    const e = await caught(() => registerBackend(adapter));
    expect(e).toBeInstanceOf(GradlabError);
    expect((e as GradlabError).code).toBe('INVALID_ARGUMENT');
    expect((e as GradlabError).message).toContain('version 2');
    expect(listBackends().map((a) => a.name)).not.toContain('v2');
  });

  test('listBackends is ordered by priority; unregisterBackend removes', () => {
    fake('low', { priority: 1 });
    fake('high', { priority: 50 });
    fake('mid', { priority: 20 });
    expect(listBackends().map((a) => a.name)).toEqual(['high', 'mid', 'low']);
    unregisterBackend('mid');
    expect(listBackends().map((a) => a.name)).toEqual(['high', 'low']);
  });
});

describe('useBackend by name', () => {
  test('an unknown name is UNKNOWN_BACKEND, listing the known ones', async () => {
    fake('alpha');
    fake('beta');
    const e = await caught(() => useBackend('nope'));
    expect(e).toBeInstanceOf(GradlabError);
    expect((e as GradlabError).code).toBe('UNKNOWN_BACKEND');
    expect((e as GradlabError).message).toContain('"nope"');
    expect((e as GradlabError).message).toContain('alpha, beta');
    expect(() => getBackendAdapter('nope')).toThrow(GradlabError);
  });

  test('a typo of a known name (or of "auto") says which one was meant', async () => {
    fake('alpha');
    fake('beta');
    expect(((await caught(() => useBackend('alpah'))) as Error).message).toContain(
      'Did you mean "alpha"?',
    );
    expect(((await caught(() => useBackend('atuo'))) as Error).message).toContain(
      'Did you mean "auto"?',
    );
    expect(((await caught(() => useBackend('nope'))) as Error).message).not.toContain(
      'Did you mean',
    );
  });

  test('an available backend is activated', async () => {
    const a = fake('alpha');
    const selection = await useBackend('alpha');
    expect(selection).toEqual({ info: info('alpha'), skipped: [] });
    expect(a.activations).toBe(1);
    expect(tf.getBackend()).toBe('cpu');
  });

  test('an unavailable backend is BACKEND_UNAVAILABLE with its reason and hint', async () => {
    const a = fake('gpu', { probe: unavailable('no GPU adapter found', 'install a GPU driver') });
    const e = await caught(() => useBackend('gpu'));
    expect((e as GradlabError).code).toBe('BACKEND_UNAVAILABLE');
    expect((e as GradlabError).message).toContain('no GPU adapter found');
    expect((e as GradlabError).message).toContain('install a GPU driver');
    expect(a.activations).toBe(0);
  });

  test('a backend for another platform is unavailable', async () => {
    fake('web-only', { platforms: ['browser'] });
    const e = await caught(() => useBackend('web-only'));
    expect((e as GradlabError).code).toBe('BACKEND_UNAVAILABLE');
    expect((e as GradlabError).message).toContain('browser');
  });
});

describe('probes', () => {
  test('a probe that throws is reported unavailable, not a crash', async () => {
    fake('broken', {
      probe: async () => {
        throw new Error('probe exploded');
      },
    });
    fake('fine');
    const statuses = await probeBackends();
    const broken = statuses.find((s) => s.name === 'broken');
    expect(broken?.probe.available).toBe(false);
    expect(broken?.probe.available === false && broken.probe.reason).toContain('probe exploded');
    expect(statuses.find((s) => s.name === 'fine')?.probe).toEqual({
      available: true,
      detail: 'always',
    });

    const e = await caught(() => useBackend('broken'));
    expect((e as GradlabError).code).toBe('BACKEND_UNAVAILABLE');
    expect((e as GradlabError).message).toContain('probe exploded');
  });
});

describe('useBackend("auto")', () => {
  test('picks the highest-priority available adapter and says why others were skipped', async () => {
    const top = fake('top', { priority: 30, probe: unavailable('no GPU', 'buy one') });
    const broken = fake('broken', {
      priority: 25,
      probe: async () => {
        throw new Error('probe exploded');
      },
    });
    const mid = fake('mid', { priority: 20 });
    const low = fake('low', { priority: 10 });
    const selection = await useBackend('auto');
    expect(selection.info.name).toBe('mid');
    expect(selection.skipped).toEqual([
      { name: 'top', reason: 'no GPU' },
      { name: 'broken', reason: expect.stringContaining('probe exploded') },
    ]);
    expect([top.activations, broken.activations, mid.activations, low.activations]).toEqual([
      0, 0, 1, 0,
    ]);
  });

  test("a probe's own priority ranks the adapter for auto (a software GPU below wasm)", async () => {
    const gpu = fake('gpu', {
      priority: 30,
      probe: async () => ({ available: true, detail: 'a software adapter', priority: 15 }),
    });
    const wasmLike = fake('wasm-like', { priority: 20 });
    const selection = await useBackend('auto');
    expect(selection.info.name).toBe('wasm-like');
    expect([gpu.activations, wasmLike.activations]).toEqual([0, 1]);
    expect((await useBackend('gpu')).info.name).toBe('gpu'); // by name it is still there
  });

  test('probes no adapter that could not outrank an available one (no Dawn start for wasm)', async () => {
    const top = fake('top', { priority: 40, probe: unavailable('no CUDA', 'install it') });
    const native = fake('native', { priority: 35 });
    const gpu = fake('gpu', { priority: 30 });
    const wasmLike = fake('wasm-like', { priority: 20 });
    const selection = await useBackend('auto');
    expect(selection.info.name).toBe('native');
    expect([top.probes, native.probes, gpu.probes, wasmLike.probes]).toEqual([1, 1, 0, 0]);
  });

  test('a probe cannot raise its adapter above its own priority', async () => {
    fake('boastful', {
      priority: 10,
      probe: async () => ({ available: true, detail: 'claims more', priority: 99 }),
    });
    fake('solid', { priority: 20 });
    expect((await useBackend('auto')).info.name).toBe('solid');
  });

  test('an adapter whose activation fails is skipped for the next one', async () => {
    fake('flaky', {
      priority: 30,
      activate: async () => {
        throw new GradlabError('BACKEND_INIT_FAILED', 'device lost');
      },
    });
    fake('steady', { priority: 10 });
    const selection = await useBackend('auto');
    expect(selection.info.name).toBe('steady');
    expect(selection.skipped).toEqual([{ name: 'flaky', reason: 'device lost' }]);
  });

  test('none available: BACKEND_UNAVAILABLE listing every reason', async () => {
    fake('a', { probe: unavailable('reason A', 'hint A') });
    fake('b', { probe: unavailable('reason B', 'hint B') });
    const e = await caught(() => useBackend('auto'));
    expect((e as GradlabError).code).toBe('BACKEND_UNAVAILABLE');
    expect((e as GradlabError).message).toContain('a: reason A');
    expect((e as GradlabError).message).toContain('b: reason B');
  });

  test('none registered: BACKEND_UNAVAILABLE saying how to register one', async () => {
    const e = await caught(() => useBackend('auto'));
    expect((e as GradlabError).code).toBe('BACKEND_UNAVAILABLE');
    expect((e as GradlabError).message).toContain('registerBackend');
  });
});
