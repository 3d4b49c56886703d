import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuBackend } from '@gradlab/backend-cpu';
import {
  BACKEND_SPEC_VERSION,
  type ExperimentSpecInput,
  isGradlabError,
  parseSpec,
  registerBackend,
  runExperiment,
  type StepDiagnostics,
  tfjsEngineInternals,
  unregisterBackend,
  useBackend,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import webgpuDefault, {
  createWebgpuBackend,
  DAWN_PACKAGE_VERSION,
  DAWN_PATHS,
  type DawnModule,
  describeAdapter,
  GPU_PATHS,
  type GpuAdapterLike,
  type GpuLike,
  type GpuRequestAdapterOptionsLike,
  TFJS_REGISTRY_PRIORITY,
  WEBGPU_KNOWN_GAPS,
  webgpuBackend,
} from './index.js';

/**
 * Tests of this adapter beyond the conformance kit: which physical adapter the probe finds, the
 * unavailable paths (through the createWebgpuBackend seams), tfjs's default backend left alone,
 * the process exiting by itself, and agreement of a small run with the cpu backend.
 */

const here = dirname(fileURLToPath(import.meta.url));

const engine = tfjsEngineInternals;
/** tfjs's backends in the order it would pick them (a private method of its engine). */
const sortedBackends = () =>
  (tf.engine() as unknown as { getSortedBackends(): string[] }).getSortedBackends();

beforeAll(() => {
  registerBackend(cpuBackend);
  registerBackend(webgpuBackend);
});

afterAll(async () => {
  await webgpuBackend.release();
});

describe('the adapter', () => {
  test('declares itself as the priority-30 adapter of spec version 1 for node and browser', () => {
    expect(webgpuDefault).toBe(webgpuBackend);
    expect(webgpuBackend.specVersion).toBe(BACKEND_SPEC_VERSION);
    expect(webgpuBackend.name).toBe('webgpu');
    expect(webgpuBackend.priority).toBe(30);
    expect([...webgpuBackend.platforms].sort()).toEqual(['browser', 'node']);
    expect(webgpuBackend.knownGaps).toBe(WEBGPU_KNOWN_GAPS);
  });

  test('the probe finds a physical adapter, says which, and leaves nothing behind', async () => {
    const navigatorBefore = (globalThis as { navigator?: unknown }).navigator;
    const backendBefore = tf.getBackend();
    const probe = await webgpuBackend.probe();
    // This must hold on CI, a CPU-only machine: the software OpenGL ES path needs nothing but
    // the Mesa EGL/GLES libraries of the stock image.
    expect(probe, JSON.stringify(probe)).toMatchObject({ available: true });
    const inspection = await webgpuBackend.inspect();
    if (!inspection.available) throw new Error(inspection.reason);
    const a = inspection.adapter;
    console.log(`webgpu probe: ${probe.available ? probe.detail : ''}`);
    expect(probe.available && probe.detail).toContain(a.name);
    expect(probe.available && probe.detail).toContain(a.software ? 'software' : 'hardware');
    expect(a.name.length).toBeGreaterThan(0);
    if (a.path !== 'default' && !existsSync('/usr/lib/x86_64-linux-gnu/libvulkan.so.1')) {
      // Why the GPU path failed, when the reason is a missing library.
      expect(inspection.tried[0]).toContain(
        'libvulkan.so.1 is not installed: Debian package libvulkan1',
      );
    }
    if (a.path === 'opengles') {
      // No GPU: Mesa's llvmpipe through Dawn's OpenGL ES backend, in compatibility mode.
      expect(a.software).toBe(true);
      expect(a.featureLevel).toBe('compatibility');
      expect(a.name).toMatch(/llvmpipe|softpipe|OpenGL ES/);
      expect(inspection.tried).toHaveLength(2);
    }
    // Nothing left behind: no tfjs backend registered or selected, navigator untouched.
    expect(engine().registryFactory.webgpu).toBeUndefined();
    expect(engine().registry.webgpu).toBeUndefined();
    expect(tf.getBackend()).toBe(backendBefore);
    expect((globalThis as { navigator?: unknown }).navigator).toBe(navigatorBefore);
    // Mesa's shader cache goes to a temp directory, not the home directory.
    expect(process.env.MESA_SHADER_CACHE_DIR).toBeTruthy();
  });

  test('activate() starts tfjs webgpu on that adapter and names it; f32 precision', async () => {
    const inspection = await webgpuBackend.inspect();
    if (!inspection.available) throw new Error(inspection.reason);
    const info = await webgpuBackend.activate();
    expect(tf.getBackend()).toBe('webgpu');
    expect(info).toMatchObject({
      name: 'webgpu',
      tfjsBackend: 'webgpu',
      floatPrecision: 32,
      epsilon: 2 ** -23,
      capabilities: { syncReadback: false, multithreaded: true },
    });
    expect(info.device).toContain(`WebGPU: ${inspection.adapter.name}`);
    if (inspection.adapter.software) expect(info.device).toContain('software');
    expect(info.versions).toEqual({
      webgpu: DAWN_PACKAGE_VERSION,
      '@tensorflow/tfjs-backend-webgpu': '4.22.0',
    });
    const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
    expect(Array.from(await product.data())).toEqual([19, 22, 43, 50]);
    tf.dispose(product);
    expect(await webgpuBackend.activate()).toEqual(info);
  });

  test("tfjs's default backend stays what it was: webgpu is registered at priority 0, and only while active", async () => {
    await webgpuBackend.activate();
    const factories = engine().registryFactory;
    expect(factories.webgpu?.priority).toBe(TFJS_REGISTRY_PRIORITY);
    // tfjs's own registration (priority 3) would put webgpu first; ours puts it last.
    expect(sortedBackends().at(-1)).toBe('webgpu');
    await useBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');

    await webgpuBackend.release();
    expect(factories.webgpu).toBeUndefined();
    expect(engine().registry.webgpu).toBeUndefined();
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
    expect(tf.getBackend()).toBe('cpu');
    expect((await useBackend('webgpu')).info.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
  });

  test('release() while webgpu is the active backend leaves tfjs on another one, and activate() starts it again', async () => {
    await webgpuBackend.activate();
    const instance = engine().registry.webgpu;
    await webgpuBackend.release();
    expect(engine().registry.webgpu).toBeUndefined();
    expect(tf.getBackend()).not.toBe('webgpu');
    await webgpuBackend.activate();
    expect(engine().registry.webgpu).toBeDefined();
    expect(engine().registry.webgpu).not.toBe(instance);
    const sum = tf.add(tf.tensor1d([1, 2, 3]), tf.scalar(1));
    expect(Array.from(await sum.data())).toEqual([2, 3, 4]);
    tf.dispose(sum);
  });
});

describe('describeAdapter names adapters from what their info says', () => {
  const [gpuPath, vulkanSoftware, gles] = DAWN_PATHS as [
    (typeof DAWN_PATHS)[number],
    (typeof DAWN_PATHS)[number],
    (typeof DAWN_PATHS)[number],
  ];
  const plain = { requestDevice: async () => ({ destroy() {} }) };

  test.each([
    [
      'a GPU through Vulkan',
      gpuPath,
      {
        vendor: 'nvidia',
        architecture: 'hopper',
        device: 'nvidia-h100-80gb-hbm3',
        description: 'NVIDIA: 550.54.14 550.54.14.0',
      },
      'nvidia-h100-80gb-hbm3 (hopper), NVIDIA: 550.54.14 550.54.14.0',
      false,
    ],
    [
      'lavapipe',
      vulkanSoftware,
      {
        vendor: 'mesa',
        device: 'llvmpipe-llvm-19-1-7-256-bits',
        description: 'Mesa 25.0.7 (LLVM 19.1.7)',
        isFallbackAdapter: true,
      },
      'llvmpipe (LLVM 19.1.7, 256 bits), Mesa 25.0.7 (LLVM 19.1.7)',
      true,
    ],
    [
      'llvmpipe through OpenGL ES',
      gles,
      {
        vendor: '',
        architecture: '',
        device: 'llvmpipe-llvm-15-0-6-256-bits-',
        description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6',
      },
      'llvmpipe (LLVM 15.0.6, 256 bits), OpenGL ES 3.2 Mesa 22.3.6',
      true,
    ],
    [
      'a browser that says only vendor and architecture',
      gpuPath,
      { vendor: 'apple', architecture: 'metal-3', device: '', description: '' },
      'apple metal-3',
      false,
    ],
    ['a browser that says nothing', gpuPath, {}, 'an unnamed adapter', false],
  ])('%s', (_label, path, info, name, software) => {
    const d = describeAdapter(path, plain, info);
    expect(d.name).toBe(name);
    expect(d.software).toBe(software);
    expect(d.path).toBe(path.id);
    expect(d.featureLevel).toBe(path.id === 'opengles' ? 'compatibility' : 'core');
  });
});

describe('unavailable, through the seams', () => {
  test('the npm package webgpu is not installed', async () => {
    const missing = createWebgpuBackend({
      loadDawn: () =>
        Promise.reject(
          Object.assign(new Error("Cannot find package 'webgpu' imported from /x.js"), {
            code: 'ERR_MODULE_NOT_FOUND',
          }),
        ),
    });
    const probe = await missing.probe();
    expect(probe).toEqual({
      available: false,
      reason: 'the npm package webgpu (Dawn for Node) is not installed',
      hint: `install it: npm install webgpu@${DAWN_PACKAGE_VERSION}`,
    });
    const error = await missing.activate().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isGradlabError(error) && error.code).toBe('BACKEND_INIT_FAILED');
    expect((error as Error).message).toContain('is not installed');

    // Through the registry, by name: BACKEND_UNAVAILABLE with the reason and the hint.
    registerBackend(missing);
    try {
      const byName = await useBackend('webgpu').then(
        () => null,
        (e: unknown) => e,
      );
      expect(isGradlabError(byName) && byName.code).toBe('BACKEND_UNAVAILABLE');
      expect((byName as Error).message).toContain('webgpu (Dawn for Node) is not installed');
      expect((byName as Error).message).toContain(`npm install webgpu@${DAWN_PACKAGE_VERSION}`);
    } finally {
      unregisterBackend('webgpu');
      registerBackend(webgpuBackend);
    }
  });

  test('the package is there but its binary fails to load', async () => {
    const broken = createWebgpuBackend({
      loadDawn: () => Promise.reject(new Error('dawn.node: invalid ELF header')),
    });
    const probe = await broken.probe();
    expect(probe.available).toBe(false);
    if (probe.available) return;
    expect(probe.reason).toBe(
      'the npm package webgpu (Dawn for Node) failed to load: dawn.node: invalid ELF header',
    );
    expect(probe.hint).toContain(`reinstall webgpu@${DAWN_PACKAGE_VERSION}`);

    // A dependency of webgpu missing is not webgpu missing.
    const depMissing = createWebgpuBackend({
      loadDawn: () =>
        Promise.reject(
          Object.assign(
            new Error("Cannot find package 'debug' imported from /x/node_modules/webgpu/index.js"),
            { code: 'ERR_MODULE_NOT_FOUND' },
          ),
        ),
    });
    expect(await depMissing.probe()).toMatchObject({
      available: false,
      reason: expect.stringContaining('failed to load: Cannot find package'),
    });
  });

  test('Dawn loads but no path gives an adapter: every path is named with what it answered', async () => {
    const flagsSeen: string[][] = [];
    const requests: (GpuRequestAdapterOptionsLike | undefined)[] = [];
    const dawn: DawnModule = {
      globals: {},
      create(flags) {
        flagsSeen.push(flags);
        if (flags.includes('backend=vulkan')) throw new Error('no suitable backends found');
        return {
          requestAdapter: async (options) => {
            requests.push(options);
            return null;
          },
        };
      },
    };
    const none = createWebgpuBackend({ loadDawn: async () => dawn });
    const probe = await none.probe();
    expect(probe.available).toBe(false);
    if (probe.available) return;
    // Each path with what it answered (and, on Linux, a library it needs that is missing).
    const parts = probe.reason.replace(/^no WebGPU adapter: /, '').split('; ');
    expect(parts).toHaveLength(3);
    expect(parts[0]).toMatch(
      /^Dawn's default backend \(a GPU, through Vulkan on Linux\): no adapter( \(libvulkan\.so\.1 is not installed: Debian package libvulkan1\))?$/,
    );
    expect(parts[1]).toBe(
      'a software Vulkan adapter (lavapipe, SwiftShader): no suitable backends found',
    );
    expect(parts[2]).toMatch(
      /^OpenGL ES in compatibility mode on a surfaceless EGL display \(Mesa llvmpipe\): no adapter( \(libEGL\.so is not installed: Debian package libegl-dev\))?$/,
    );
    expect(probe.hint).toMatch(/Vulkan loader and driver.*libegl-dev libegl-mesa0 libgl1-mesa-dri/);
    expect(flagsSeen).toEqual([[], ['backend=vulkan'], ['backend=opengles']]);
    expect(requests).toEqual([
      { powerPreference: 'high-performance' },
      { featureLevel: 'compatibility' },
    ]);
    // The surfaceless EGL platform is set for the OpenGL ES path when unset (it is by now).
    expect(process.env.EGL_PLATFORM).toBe('surfaceless');
  });

  test('an adapter that gives no device, and one that never answers, are passed over', async () => {
    const dawn: DawnModule = {
      globals: {},
      create: (flags) => ({
        requestAdapter: (): Promise<GpuAdapterLike | null> =>
          flags.length === 0
            ? Promise.resolve({
                info: { vendor: 'acme', device: 'Broken GPU' },
                requestDevice: () => Promise.reject(new Error('device lost')),
              })
            : new Promise(() => {}),
      }),
    };
    const stuck = createWebgpuBackend({ loadDawn: async () => dawn, timeoutMs: 50 });
    const probe = await stuck.probe();
    expect(probe.available).toBe(false);
    if (probe.available) return;
    expect(probe.reason).toContain('the adapter gave no device (device lost)');
    expect(probe.reason).toContain(
      'requestAdapter failed (requestAdapter did not answer within 0.05 s)',
    );
  });

  test('a browser-style navigator.gpu: missing, or without an adapter', async () => {
    const noGpu = createWebgpuBackend({ gpu: () => undefined });
    expect(await noGpu.probe()).toMatchObject({
      available: false,
      reason: expect.stringContaining('navigator.gpu is undefined'),
    });
    const nullAdapters = createWebgpuBackend({ gpu: { requestAdapter: async () => null } });
    const probe = await nullAdapters.probe();
    expect(probe).toMatchObject({
      available: false,
      reason:
        'no WebGPU adapter: the default adapter: no adapter; a fallback (software) adapter: no adapter; a compatibility-mode adapter: no adapter',
    });
  });

  test('GRADLAB_WEBGPU_ADAPTER restricts the paths; an unknown one is explained', async () => {
    const saved = process.env.GRADLAB_WEBGPU_ADAPTER;
    try {
      process.env.GRADLAB_WEBGPU_ADAPTER = 'metal';
      expect(await createWebgpuBackend().probe()).toMatchObject({
        available: false,
        reason: 'GRADLAB_WEBGPU_ADAPTER names unknown adapter paths: metal',
      });
      process.env.GRADLAB_WEBGPU_ADAPTER = 'opengles';
      const created: string[][] = [];
      const only = createWebgpuBackend({
        loadDawn: async () => ({
          globals: {},
          create: (flags) => {
            created.push(flags);
            return { requestAdapter: async () => null };
          },
        }),
      });
      expect((await only.probe()).available).toBe(false);
      expect(created).toEqual([['backend=opengles']]);
    } finally {
      if (saved === undefined) delete process.env.GRADLAB_WEBGPU_ADAPTER;
      else process.env.GRADLAB_WEBGPU_ADAPTER = saved;
    }
  });
});

describe('a given navigator.gpu', () => {
  test('tfjs gets its adapter with the chosen path options; a second adapter takes over cleanly', async () => {
    // A Dawn instance made for the path the default adapter chose, handed in as navigator.gpu.
    const chosen = await webgpuBackend.inspect();
    if (!chosen.available) throw new Error(chosen.reason);
    await webgpuBackend.activate();
    const dawnPath = DAWN_PATHS.find((p) => p.id === chosen.adapter.path);
    const gpuPath = GPU_PATHS.find((p) => p.id === chosen.adapter.path);
    if (!dawnPath || !gpuPath) throw new Error(`unknown path ${chosen.adapter.path}`);
    const { create } = (await import('webgpu')) as unknown as DawnModule;
    const dawn = create([...dawnPath.dawnFlags]);
    const asked: (GpuRequestAdapterOptionsLike | undefined)[] = [];
    const gpu: GpuLike = {
      requestAdapter: (options) => {
        asked.push(options);
        return dawn.requestAdapter(options);
      },
    };
    const given = createWebgpuBackend({ gpu, paths: [gpuPath.id] });
    const inspection = await given.inspect();
    expect(inspection.available).toBe(true);
    const info = await given.activate();
    expect(tf.getBackend()).toBe('webgpu');
    expect(info.device).toContain(gpuPath.via);
    // The probe's request, then tfjs's own: its powerPreference, plus the path's options.
    expect(asked).toEqual([
      { ...gpuPath.request },
      { powerPreference: 'high-performance', ...gpuPath.request },
    ]);
    const x = tf.square(tf.tensor1d([3]));
    expect(Array.from(await x.data())).toEqual([9]);
    tf.dispose(x);
    // It released the default adapter's backend before starting its own; back to the default.
    await given.release();
    await webgpuBackend.activate();
    expect(tf.getBackend()).toBe('webgpu');
  });
});

test('a process that activates, trains and releases exits by itself within seconds', async () => {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@gradlab/source',
      '--import',
      join(here, 'test-ts-register.mjs'),
      join(here, 'test-exit-child.ts'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let releasedAt = 0;
  child.stdout.on('data', (d: Buffer) => {
    stdout += String(d);
    if (!releasedAt && stdout.includes('\n')) releasedAt = performance.now();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += String(d);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  const exitedAt = performance.now();
  expect(code, `exit code; stderr:\n${stderr}`).toBe(0);
  const line = JSON.parse(stdout.trim()) as { device: string; status: string; steps: number };
  expect(line).toMatchObject({ status: 'complete', steps: 4 });
  expect(line.device).toMatch(/^WebGPU: /);
  expect(releasedAt).toBeGreaterThan(0);
  // A hang is what this catches (the child is killed at 90 s): the bound is generous on purpose.
  expect(exitedAt - releasedAt, 'ms from release to exit').toBeLessThan(20_000);
});

interface Logged {
  readonly step: number;
  readonly loss: number;
  readonly diagnostics: StepDiagnostics | null;
}

async function runOn(backend: 'cpu' | 'webgpu', input: ExperimentSpecInput): Promise<Logged[]> {
  await useBackend(backend);
  const logged: Logged[] = [];
  const result = await runExperiment(parseSpec(input), {
    listeners: [
      (e) => {
        if (e.type === 'step')
          logged.push({ step: e.step, loss: e.loss, diagnostics: e.diagnostics });
      },
    ],
  });
  expect(result.status).toBe('complete');
  expect(result.backend).toBe(backend);
  return logged;
}

function relDiff(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

test('a tiny run agrees with the cpu backend within 1e-4 relative, layer by layer', async () => {
  const input: ExperimentSpecInput = {
    gradlab: 1,
    seed: 11,
    data: { kind: 'teacher', inputSize: 12, outputSize: 3, samples: 128 },
    model: { kind: 'mlp', depth: 6, width: 16, activation: 'tanh', init: 'xavier-normal' },
    training: { steps: 8, batchSize: 16, optimizer: { kind: 'sgd', lr: 0.05 } },
    diagnostics: { every: 4 },
  };
  const cpu = await runOn('cpu', input);
  const gpu = await runOn('webgpu', input);
  expect(gpu).toHaveLength(cpu.length);
  let worst = 0;
  const check = (what: string, a: number | null, b: number | null) => {
    expect(a === null, `${what}: measured on one backend only`).toBe(b === null);
    if (a === null || b === null) return;
    const d = relDiff(a, b);
    worst = Math.max(worst, d);
    expect(d, `${what}: cpu ${a}, webgpu ${b}`).toBeLessThanOrEqual(1e-4);
  };
  cpu.forEach((c, i) => {
    const g = gpu[i] as Logged;
    check(`step ${c.step} loss`, c.loss, g.loss);
    const cd = c.diagnostics;
    const gd = g.diagnostics;
    if (!cd || !gd) throw new Error(`step ${c.step} logged no diagnostics`);
    expect(gd.layers.map((l) => l.name)).toEqual(cd.layers.map((l) => l.name));
    cd.layers.forEach((cl, j) => {
      const gl = gd.layers[j] as (typeof gd.layers)[number];
      check(`step ${c.step} ${cl.name} gradNorm`, cl.gradNorm, gl.gradNorm);
      check(`step ${c.step} ${cl.name} biasGradNorm`, cl.biasGradNorm, gl.biasGradNorm);
      check(`step ${c.step} ${cl.name} weightNorm`, cl.weightNorm, gl.weightNorm);
    });
    cd.signal?.norms.forEach((n, j) => {
      check(`step ${c.step} signal ${j}`, n, gd.signal?.norms[j] as number);
    });
  });
  console.log(`webgpu vs cpu, worst relative difference: ${worst.toExponential(2)}`);
});

test('AddN of more inputs than the device binds at once is summed in chunks', async () => {
  await useBackend('webgpu');
  const backend = tf.backend() as tf.KernelBackend & {
    device: { limits: { maxStorageBuffersPerShaderStage: number } };
  };
  const limit = backend.device.limits.maxStorageBuffersPerShaderStage;
  const inspection = await webgpuBackend.inspect();
  if (inspection.available && inspection.adapter.path === 'opengles') {
    // The device gets the adapter's limit (16 on llvmpipe), not the default of 8.
    expect(limit).toBeGreaterThan(8);
  }
  for (const n of [2, limit - 1, limit, 2 * limit + 3, 40]) {
    const inputs = Array.from({ length: n }, (_, i) => tf.tensor1d([i + 1, -(i + 1) / 2, 0.25]));
    const before = tf.memory().numTensors;
    const total = tf.addN(inputs);
    const expected = (n * (n + 1)) / 2;
    expect(Array.from(await total.data()), `addN of ${n}`).toEqual([
      expected,
      -expected / 2,
      n / 4,
    ]);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([total, ...inputs]);
  }
});
