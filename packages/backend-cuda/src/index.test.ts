import { createRequire } from 'node:module';
import {
  BACKEND_SPEC_VERSION,
  type BackendAdapter,
  isGradlabError,
  parseSpec,
  probeBackends,
  registerBackend,
  runExperiment,
  tfjsEngineInternals,
  unregisterBackend,
  useBackend,
} from '@gradlab/core';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import cudaDefault, {
  createCudaBackend,
  createTfjsNodeBackend,
  cudaBackend,
  nativeBackends,
  tfjsNodeBackend,
} from './index.js';
import { failingLoader, fakeTfjsNode } from './test-fake-tfjs-node.js';

const installed = (pkg: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};
const gpuPackageInstalled = installed('@tensorflow/tfjs-node-gpu');
const cpuPackageInstalled = installed('@tensorflow/tfjs-node');

interface TfjsState {
  readonly backend: string | null | undefined;
  readonly registered: boolean;
  readonly instance: boolean;
}
const engine = tfjsEngineInternals;
const tfjsState = (): TfjsState => ({
  backend: engine().backendName,
  registered: 'tensorflow' in engine().registryFactory,
  instance: 'tensorflow' in engine().registry,
});

/** Unavailable probe, narrowed. */
async function unavailable(adapter: BackendAdapter) {
  const probe = await adapter.probe();
  expect(probe.available).toBe(false);
  if (probe.available) throw new Error('expected an unavailable probe');
  return probe;
}

/** Leaves tfjs on the cpu backend with no "tensorflow" backend registered. */
async function resetTfjs() {
  if ('tensorflow' in engine().registryFactory) tf.removeBackend('tensorflow');
  expect(await tf.setBackend('cpu')).toBe(true);
}

beforeEach(resetTfjs);

describe('the two adapters', () => {
  test('declare spec version 1, their names, priorities and Node only', () => {
    expect(cudaDefault).toBe(cudaBackend);
    expect(nativeBackends).toEqual([cudaBackend, tfjsNodeBackend]);
    for (const adapter of nativeBackends) {
      expect(adapter.specVersion).toBe(BACKEND_SPEC_VERSION);
      expect(adapter.platforms).toEqual(['node']);
      expect(adapter.description.length).toBeGreaterThan(0);
    }
    expect(cudaBackend.name).toBe('cuda');
    expect(cudaBackend.priority).toBe(40);
    expect(tfjsNodeBackend.name).toBe('tfjs-node');
    expect(tfjsNodeBackend.priority).toBe(25);
  });
});

describe('package not installed (the real default loader)', () => {
  test.skipIf(gpuPackageInstalled)(
    'cuda: says @tensorflow/tfjs-node-gpu is not installed and how to install it, mirror and pre-placed library included',
    async () => {
      const before = tfjsState();
      const probe = await unavailable(cudaBackend);
      expect(probe.reason).toBe(
        "@tensorflow/tfjs-node-gpu is not installed (Cannot find module '@tensorflow/tfjs-node-gpu')",
      );
      expect(probe.hint).toContain('npm install @tensorflow/tfjs-node-gpu@4.22.0');
      expect(probe.hint).toContain('CUDA 11.2 and cuDNN 8.1');
      expect(probe.hint).toContain('TFJS_NODE_CDN_STORAGE or TFJS_NODE_BASE_URI');
      expect(probe.hint).toContain('deps/lib/libtensorflow.so.2.9.1');
      expect(probe.hint).toContain('docs/backends/cuda.md');
      expect(tfjsState()).toEqual(before);
    },
  );

  test.skipIf(cpuPackageInstalled)(
    'tfjs-node: says @tensorflow/tfjs-node is not installed and how to install it',
    async () => {
      const probe = await unavailable(tfjsNodeBackend);
      expect(probe.reason).toBe(
        "@tensorflow/tfjs-node is not installed (Cannot find module '@tensorflow/tfjs-node')",
      );
      expect(probe.hint).toContain('npm install @tensorflow/tfjs-node@4.22.0');
      expect(probe.hint).toContain('TFJS_NODE_CDN_STORAGE or TFJS_NODE_BASE_URI');
      expect(probe.hint).toContain('npm rebuild @tensorflow/tfjs-node');
    },
  );

  test.skipIf(gpuPackageInstalled)(
    'useBackend("cuda") and activate() refuse with the reason and the hint',
    async () => {
      registerBackend(cudaBackend);
      try {
        const error = await useBackend('cuda').catch((e: unknown) => e);
        expect(isGradlabError(error) && error.code).toBe('BACKEND_UNAVAILABLE');
        expect((error as Error).message).toMatch(
          /^backend "cuda" is not available here: @tensorflow\/tfjs-node-gpu is not installed .*To fix: .*npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/s,
        );
        const direct = await cudaBackend.activate().catch((e: unknown) => e);
        expect(isGradlabError(direct) && direct.code).toBe('BACKEND_INIT_FAILED');
        expect(tf.getBackend()).toBe('cpu');
      } finally {
        unregisterBackend('cuda');
      }
    },
  );

  test('an injected loader failing with ERR_MODULE_NOT_FOUND of the package itself counts as not installed', async () => {
    const probe = await unavailable(
      createCudaBackend({
        load: failingLoader(
          "Cannot find package '@tensorflow/tfjs-node-gpu' imported from /app/index.js",
          'ERR_MODULE_NOT_FOUND',
        ),
      }),
    );
    expect(probe.reason).toBe(
      "@tensorflow/tfjs-node-gpu is not installed (Cannot find package '@tensorflow/tfjs-node-gpu' imported from /app/index.js)",
    );
  });
});

describe('the native binding fails to load (injected loaders)', () => {
  test('a missing shared library: the loader message verbatim, with the CUDA 11.2 / cuDNN 8.1 / LD_LIBRARY_PATH hint', async () => {
    const message = 'libcudart.so.11.0: cannot open shared object file: No such file or directory';
    const before = tfjsState();
    const probe = await unavailable(
      createCudaBackend({ load: failingLoader(message, 'ERR_DLOPEN_FAILED') }),
    );
    expect(probe.reason).toBe(
      `@tensorflow/tfjs-node-gpu is installed but failed to load: ${message}`,
    );
    expect(probe.hint).toContain('CUDA 11.2 and cuDNN 8.1');
    expect(probe.hint).toContain('LD_LIBRARY_PATH');
    expect(tfjsState()).toEqual(before);
  });

  test('a missing addon (MODULE_NOT_FOUND of a path inside the package) is a load failure, not a missing package', async () => {
    const message =
      "Cannot find module '/app/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node'\nRequire stack:\n- /app/node_modules/@tensorflow/tfjs-node-gpu/dist/index.js";
    const probe = await unavailable(
      createCudaBackend({ load: failingLoader(message, 'MODULE_NOT_FOUND') }),
    );
    expect(probe.reason).toBe(
      `@tensorflow/tfjs-node-gpu is installed but failed to load: ${message}`,
    );
    expect(probe.hint).toContain('npm rebuild @tensorflow/tfjs-node-gpu');
  });

  test("tfjs-node's own check for its addon (a plain Error) is reported verbatim", async () => {
    const message =
      "The Node.js native addon module (tfjs_binding.node) can not be found at path: /app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. \nPlease run command 'npm rebuild @tensorflow/tfjs-node --build-addon-from-source' to rebuild the native addon module.";
    const probe = await unavailable(createTfjsNodeBackend({ load: failingLoader(message) }));
    expect(probe.reason).toBe(`@tensorflow/tfjs-node is installed but failed to load: ${message}`);
    expect(probe.hint).toContain('npm rebuild @tensorflow/tfjs-node');
  });

  test('a missing dependency of the package is a load failure too', async () => {
    const probe = await unavailable(
      createTfjsNodeBackend({
        load: failingLoader("Cannot find module '@tensorflow/tfjs'", 'MODULE_NOT_FOUND'),
      }),
    );
    expect(probe.reason).toBe(
      "@tensorflow/tfjs-node is installed but failed to load: Cannot find module '@tensorflow/tfjs'",
    );
  });
});

describe('tfjs-node-gpu loads but TensorFlow finds no GPU', () => {
  test('cuda is unavailable, says why, and the probe leaves tfjs as it was', async () => {
    const fake = fakeTfjsNode({ gpu: false });
    const adapter = createCudaBackend({ load: fake.load, gpuName: async () => 'unused' });
    const before = tfjsState();
    expect(before).toEqual({ backend: 'cpu', registered: false, instance: false });
    const probe = await unavailable(adapter);
    expect(probe.reason).toBe(
      "@tensorflow/tfjs-node-gpu loaded, but TensorFlow 2.9.1 found no CUDA GPU (its backend's isUsingGpuDevice is false), so it would compute on the CPU",
    );
    expect(probe.hint).toContain('nvidia-smi');
    expect(probe.hint).toContain('CUDA_VISIBLE_DEVICES');
    expect(probe.hint).toContain('CUDA 11.2 runtime and cuDNN 8.1');
    expect(probe.hint).toContain('LD_LIBRARY_PATH');
    expect(probe.hint).toContain('"tfjs-node" backend');
    // The fake import registered and selected "tensorflow"; the probe undid both.
    expect(tfjsState()).toEqual(before);

    const error = await adapter.activate().catch((e: unknown) => e);
    expect(isGradlabError(error) && error.code).toBe('BACKEND_INIT_FAILED');
    expect((error as Error).message).toContain('found no CUDA GPU');
    expect(tfjsState()).toEqual(before);
  });

  test('a backend without an isUsingGpuDevice flag is available, and the detail says the GPU use is unknown', async () => {
    const adapter = createCudaBackend({ load: fakeTfjsNode({ gpu: undefined }).load });
    const probe = await adapter.probe();
    expect(probe).toEqual({
      available: true,
      detail:
        '@tensorflow/tfjs-node-gpu 4.22.0 loaded, but gradlab cannot tell whether TensorFlow found a GPU (its backend has no isUsingGpuDevice flag): it may compute on the CPU',
    });
    const info = await adapter.activate();
    expect(info.device).toBe(
      "CUDA: unverified (TensorFlow's backend does not say whether it found a GPU)",
    );
    await adapter.release();
  });
});

describe('activation through a stand-in tfjs-node-gpu module', () => {
  let adapter: BackendAdapter;
  let fake: ReturnType<typeof fakeTfjsNode>;
  beforeEach(() => {
    fake = fakeTfjsNode({ gpu: true });
    adapter = createCudaBackend({ load: fake.load, gpuName: async () => 'NVIDIA Stand-in 80GB' });
    registerBackend(adapter);
  });
  afterEach(async () => {
    await adapter.release();
    unregisterBackend('cuda');
  });

  test('probes available without leaving a tfjs backend registered or selected', async () => {
    const before = tfjsState();
    const probe = await adapter.probe();
    expect(probe).toEqual({
      available: true,
      detail:
        '@tensorflow/tfjs-node-gpu 4.22.0 loaded; TensorFlow 2.9.1 found a CUDA GPU (NVIDIA Stand-in 80GB)',
    });
    expect(tfjsState()).toEqual(before);
    expect(await adapter.probe()).toEqual(probe);
    expect(tfjsState()).toEqual(before);
    expect(fake.loads()).toBe(2);
  });

  test('activate() selects "tensorflow" and describes the GPU; a tiny experiment runs through useBackend("cuda")', async () => {
    const selection = await useBackend('cuda');
    expect(selection.skipped).toEqual([]);
    expect(selection.info).toEqual({
      name: 'cuda',
      tfjsBackend: 'tensorflow',
      device: 'CUDA: NVIDIA Stand-in 80GB',
      floatPrecision: 32,
      epsilon: 2 ** -23,
      capabilities: { syncReadback: true, multithreaded: true },
      versions: {
        '@tensorflow/tfjs-core': tf.version_core,
        '@tensorflow/tfjs-node-gpu': '4.22.0',
        libtensorflow: '2.9.1',
      },
    });
    expect(tf.getBackend()).toBe('tensorflow');
    // A probe while active leaves it active.
    expect((await adapter.probe()).available).toBe(true);
    expect(tf.getBackend()).toBe('tensorflow');

    const spec = parseSpec({
      gradlab: 1,
      seed: 5,
      data: { kind: 'teacher', inputSize: 6, outputSize: 2, samples: 64 },
      model: { kind: 'mlp', depth: 3, width: 8, activation: 'tanh' },
      training: { steps: 5, batchSize: 8, optimizer: { kind: 'sgd', lr: 0.05 } },
      diagnostics: { every: 2 },
    });
    const before = tf.memory().numTensors;
    const result = await runExperiment(spec);
    expect(result.status).toBe('complete');
    expect(result.backend).toBe('tensorflow');
    expect(result.stepsCompleted).toBe(5);
    expect(Number.isFinite(result.loss.last)).toBe(true);
    expect(result.final?.layers).toHaveLength(3);
    expect(tf.memory().numTensors).toBe(before);

    // The same experiment on tfjs's cpu backend gives the same numbers (same kernels here).
    await resetTfjs();
    const reference = await runExperiment(spec);
    expect(reference.loss.last).toBe(result.loss.last);
  });

  test('release() disposes the backend; activate() starts it again', async () => {
    const info = await adapter.activate();
    const instance = engine().registry.tensorflow;
    expect(instance).toBeDefined();
    await adapter.release();
    expect(engine().registry.tensorflow).toBeUndefined();
    expect(tf.getBackend()).not.toBe('tensorflow');
    expect(await adapter.activate()).toEqual(info);
    expect(engine().registry.tensorflow).toBeDefined();
    expect(engine().registry.tensorflow).not.toBe(instance);
    const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
    expect(Array.from(await product.data())).toEqual([19, 22, 43, 50]);
    tf.dispose(product);
  });

  test('probeBackends() probes concurrently without tripping over the shared tfjs state', async () => {
    const other = createCudaBackend({ load: fakeTfjsNode({ gpu: false }).load });
    registerBackend({ ...other, name: 'cuda-nogpu' });
    try {
      const before = tfjsState();
      const statuses = await probeBackends();
      const byName = Object.fromEntries(statuses.map((s) => [s.name, s.probe.available]));
      expect(byName).toMatchObject({ cuda: true });
      expect(tfjsState()).toEqual(before);
    } finally {
      unregisterBackend('cuda-nogpu');
    }
  });

  test('once tfjs-node-gpu is loaded, the tfjs-node adapter says it cannot load beside it', async () => {
    await adapter.probe();
    const cpuFake = fakeTfjsNode({ gpu: false });
    const probe = await unavailable(createTfjsNodeBackend({ load: cpuFake.load }));
    expect(probe.reason).toBe(
      '@tensorflow/tfjs-node-gpu is already loaded in this process, and @tensorflow/tfjs-node cannot load beside it (both bind TensorFlow\'s C library and register the tfjs "tensorflow" backend)',
    );
    expect(probe.hint).toContain('--backend tfjs-node');
    expect(cpuFake.loads()).toBe(0);
  });
});
