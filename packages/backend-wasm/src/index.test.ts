import { cpuBackend } from '@gradlab/backend-cpu';
import {
  BACKEND_SPEC_VERSION,
  type BackendAdapter,
  type ExperimentSpecInput,
  isGradlabError,
  listBackends,
  matMul,
  parseSpec,
  probeBackends,
  registerBackend,
  runExperiment,
  type StepDiagnostics,
  unregisterBackend,
  useBackend,
} from '@gradlab/core';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import wasmDefault, { wasmBackend } from './index.js';

beforeAll(() => {
  registerBackend(cpuBackend);
  registerBackend(wasmBackend);
});

/** |a - b| relative to the larger magnitude; 0 when both are 0, Infinity if either is not finite. */
function relDiff(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b ? 0 : Number.POSITIVE_INFINITY;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/** Largest elementwise difference relative to the largest magnitude of the reference. */
function maxRelDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!Number.isFinite(a) || !Number.isFinite(e)) return Number.POSITIVE_INFINITY;
    diff = Math.max(diff, Math.abs(a - e));
    scale = Math.max(scale, Math.abs(e));
  }
  return scale === 0 ? diff : diff / scale;
}

describe('wasm adapter', () => {
  test('declares itself as the priority-20 adapter of spec version 1 for node and browser', () => {
    expect(wasmDefault).toBe(wasmBackend);
    expect(wasmBackend.specVersion).toBe(BACKEND_SPEC_VERSION);
    expect(wasmBackend.name).toBe('wasm');
    expect(wasmBackend.priority).toBe(20);
    expect(wasmBackend.priority).toBeGreaterThan(cpuBackend.priority);
    expect([...wasmBackend.platforms].sort()).toEqual(['browser', 'node']);
  });

  test('probes available without initialising or selecting a tfjs backend', async () => {
    const before = tf.getBackend();
    const probe = await wasmBackend.probe();
    expect(probe).toMatchObject({ available: true });
    expect(tf.engine().registry.wasm).toBeUndefined();
    expect(tf.getBackend()).toBe(before);
  });

  test('activates the tfjs wasm backend and describes it as 32-bit float', async () => {
    const info = await wasmBackend.activate();
    expect(tf.getBackend()).toBe('wasm');
    expect(info.name).toBe('wasm');
    expect(info.tfjsBackend).toBe('wasm');
    expect(info.floatPrecision).toBe(32);
    expect(info.epsilon).toBe(2 ** -23);
    expect(info.device).toMatch(/^WebAssembly/);
    expect(typeof info.capabilities.multithreaded).toBe('boolean');
    expect(info.capabilities.syncReadback).toBe(true);
    expect(info.versions['@tensorflow/tfjs-backend-wasm']).toBe(version_wasm);
    expect(await wasmBackend.activate()).toEqual(info);
    // Switching away and back goes through activate() too.
    await useBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await useBackend('wasm')).info).toEqual(info);
    expect(tf.getBackend()).toBe('wasm');
  });

  test('release() disposes the backend and a later activate() starts it again', async () => {
    await wasmBackend.activate();
    const instance = tf.engine().registry.wasm;
    expect(instance).toBeDefined();

    await wasmBackend.release();
    expect(tf.engine().registry.wasm).toBeUndefined();
    expect(tf.getBackend()).not.toBe('wasm');
    expect(tf.engine().registryFactory.wasm).toBeDefined();

    const info = await wasmBackend.activate();
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.engine().registry.wasm).toBeDefined();
    expect(tf.engine().registry.wasm).not.toBe(instance);
    // The new instance's kernels work (they are bound to the new WebAssembly module).
    const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
    expect(Array.from(await product.data())).toEqual([19, 22, 43, 50]);
    tf.dispose(product);
  });

  test('a tiny experiment runs on wasm and leaves no tensor behind', async () => {
    await useBackend('wasm');
    const spec = parseSpec({
      gradlab: 1,
      seed: 3,
      data: { kind: 'teacher', inputSize: 6, outputSize: 2, samples: 64 },
      model: { kind: 'mlp', depth: 3, width: 8, activation: 'tanh' },
      training: { steps: 6, batchSize: 8, optimizer: { kind: 'adam', lr: 0.01 } },
      diagnostics: { every: 2 },
    });
    const before = tf.memory();
    const result = await runExperiment(spec);
    const after = tf.memory();
    expect(result.status).toBe('complete');
    expect(result.backend).toBe('wasm');
    expect(result.stepsCompleted).toBe(6);
    expect(Number.isFinite(result.loss.last)).toBe(true);
    expect(result.final?.layers).toHaveLength(3);
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });
});

interface Logged {
  readonly step: number;
  readonly loss: number;
  readonly diagnostics: StepDiagnostics | null;
}

async function runOn(backend: 'cpu' | 'wasm', input: ExperimentSpecInput): Promise<Logged[]> {
  const selection = await useBackend(backend);
  expect(selection.info.name).toBe(backend);
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

const RELATIVE_TOLERANCE = 1e-4;

const agreementCases: [string, ExperimentSpecInput][] = [
  [
    'tanh MLP (depth 6, width 16)',
    {
      gradlab: 1,
      seed: 11,
      data: { kind: 'teacher', inputSize: 12, outputSize: 3, samples: 128 },
      model: { kind: 'mlp', depth: 6, width: 16, activation: 'tanh', init: 'xavier-normal' },
      training: { steps: 12, batchSize: 16, optimizer: { kind: 'sgd', lr: 0.05 } },
      diagnostics: { every: 4 },
    },
  ],
  [
    'residual layernorm relu MLP',
    {
      gradlab: 1,
      seed: 12,
      data: { kind: 'teacher', inputSize: 10, outputSize: 2, samples: 128 },
      model: {
        kind: 'mlp',
        depth: 7,
        width: 16,
        activation: 'relu',
        init: 'he-normal',
        norm: 'layernorm',
        residual: { every: 2 },
      },
      training: { steps: 12, batchSize: 16, optimizer: { kind: 'momentum', lr: 0.02 } },
      diagnostics: { every: 4 },
    },
  ],
  [
    'batchnorm MLP (classification)',
    {
      gradlab: 1,
      seed: 13,
      data: { kind: 'teacher', task: 'classification', inputSize: 8, outputSize: 4, samples: 128 },
      model: { kind: 'mlp', depth: 5, width: 16, activation: 'tanh', norm: 'batchnorm' },
      training: { steps: 12, batchSize: 16, optimizer: { kind: 'adam', lr: 0.005 } },
      diagnostics: { every: 4 },
    },
  ],
  ...(['rnn', 'lstm', 'gru'] as const).map((kind, i): [string, ExperimentSpecInput] => [
    `${kind} on the adding problem`,
    {
      gradlab: 1,
      seed: 20 + i,
      data: { kind: 'adding', length: 10, samples: 96 },
      model: { kind, hiddenSize: 12 },
      training: { steps: 8, batchSize: 16, optimizer: { kind: 'sgd', lr: 0.05 } },
      diagnostics: { every: 3 },
    },
  ]),
];

describe('cpu and wasm agree on the same experiment from the same seed', () => {
  test.each(agreementCases)('%s', async (_label, input) => {
    const cpu = await runOn('cpu', input);
    const wasm = await runOn('wasm', input);
    const spec = parseSpec(input);
    const steps = spec.training.steps;
    const batchNormalised = spec.model.kind === 'mlp' && spec.model.norm === 'batchnorm';
    expect(cpu).toHaveLength(steps);
    expect(wasm).toHaveLength(steps);

    let worst = 0;
    const check = (what: string, a: number | null, b: number | null) => {
      expect(a === null, `${what}: measured on one backend only`).toBe(b === null);
      if (a === null || b === null) return;
      expect(Number.isFinite(a), `${what} on cpu is ${a}`).toBe(true);
      const d = relDiff(a, b);
      worst = Math.max(worst, d);
      expect(d, `${what}: cpu ${a} vs wasm ${b}`).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
    };

    let fullSteps = 0;
    for (let i = 0; i < steps; i++) {
      const c = cpu[i] as Logged;
      const w = wasm[i] as Logged;
      expect(w.step).toBe(c.step);
      check(`step ${c.step} loss`, c.loss, w.loss);
      const cd = c.diagnostics;
      const wd = w.diagnostics;
      if (!cd || !wd) throw new Error(`step ${c.step} logged no diagnostics`);
      expect(wd.full).toBe(cd.full);
      check(`step ${c.step} diagnostics loss`, cd.loss, wd.loss);
      check(`step ${c.step} global gradient norm`, cd.globalGradNorm, wd.globalGradNorm);
      expect(wd.layers.map((l) => l.name)).toEqual(cd.layers.map((l) => l.name));
      expect(cd.layers.length).toBeGreaterThanOrEqual(3);
      cd.layers.forEach((cl, j) => {
        const wl = wd.layers[j] as (typeof wd.layers)[number];
        expect(cl.gradNorm, `${cl.name} gradient norm`).toBeGreaterThan(0);
        check(`step ${c.step} ${cl.name} gradNorm`, cl.gradNorm, wl.gradNorm);
        if (batchNormalised && cl.name !== 'output') {
          // BatchNorm subtracts the batch mean, so a bias before it has no effect on the loss:
          // its gradient is exactly 0, and what either backend returns is rounding noise.
          const noise = 1e-6 * cd.globalGradNorm;
          expect(cl.biasGradNorm, `${cl.name} bias gradient (cpu)`).toBeLessThan(noise);
          expect(wl.biasGradNorm, `${cl.name} bias gradient (wasm)`).toBeLessThan(noise);
        } else {
          check(`step ${c.step} ${cl.name} biasGradNorm`, cl.biasGradNorm, wl.biasGradNorm);
        }
        check(`step ${c.step} ${cl.name} weightNorm`, cl.weightNorm, wl.weightNorm);
      });
      if (cd.full) {
        fullSteps++;
        const cs = cd.signal;
        const ws = wd.signal;
        if (!cs || !ws) throw new Error(`full step ${c.step} has no signal profile`);
        expect(ws.labels).toEqual(cs.labels);
        expect(cs.norms.length).toBeGreaterThan(1);
        cs.norms.forEach((n, j) => {
          check(`step ${c.step} signal ${cs.labels[j]}`, n, ws.norms[j] as number);
        });
      } else {
        expect(cd.signal).toBeNull();
      }
    }
    expect(fullSteps).toBeGreaterThanOrEqual(3);
    expect(worst).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
    console.log('WORST', _label, worst);
  });
});

describe('no tensor leaks over a long run', () => {
  const spec = parseSpec({
    gradlab: 1,
    seed: 5,
    data: { kind: 'teacher', inputSize: 4, outputSize: 2, samples: 64 },
    model: { kind: 'mlp', depth: 3, width: 4, activation: 'tanh', norm: 'layernorm' },
    training: { steps: 100, batchSize: 8, optimizer: { kind: 'adam', lr: 0.01 } },
    diagnostics: { every: 10 },
  });

  test.each(['cpu', 'wasm'] as const)(
    '%s: 100 steps hold no more tensors than the first',
    async (backend) => {
      await useBackend(backend);
      const before = tf.memory();
      const counts = new Map<number, number>();
      const result = await runExperiment(spec, {
        listeners: [
          (e) => {
            if (e.type === 'step') counts.set(e.step, tf.memory().numTensors);
          },
        ],
      });
      const after = tf.memory();
      expect(result.status).toBe('complete');
      expect(result.stepsCompleted).toBe(100);
      expect(counts.size).toBe(100);
      const first = counts.get(1) as number;
      // The model, the data and the optimiser state are alive during the run.
      expect(first).toBeGreaterThan(before.numTensors);
      for (const [step, n] of counts) expect(n, `live tensors after step ${step}`).toBe(first);
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numBytes).toBe(before.numBytes);
    },
  );
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

describe('the explicit-transpose matMul gradient matches tfjs stock gradient', () => {
  const shapes: [number, number, number][] = [
    [3, 5, 4],
    [1, 7, 1],
    [16, 1, 9],
    [33, 17, 65],
    [128, 256, 256],
  ];

  describe.each(['wasm', 'cpu'] as const)('on %s', (backend) => {
    afterEach(() => {
      expect(tf.getBackend()).toBe(backend);
    });

    test.each(shapes)('[%i x %i] @ [.. x %i]', async (m, k, n) => {
      await useBackend(backend);
      const before = tf.memory().numTensors;
      const a = matrix(m, k, m * 1000 + k);
      const b = matrix(k, n, k * 1000 + n + 7);
      const dy = matrix(m, n, m + n + 3);
      const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        matMul(x as tf.Tensor2D, y as tf.Tensor2D),
      );
      const stock = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y));

      const { result: oursOut, calls: oursCalls } = await recordMatMulFlags(backend, () => {
        const value = matMul(a, b);
        const [da, db] = ours([a, b], dy) as [tf.Tensor, tf.Tensor];
        return { value, da, db };
      });
      const { result: stockOut, calls: stockCalls } = await recordMatMulFlags(backend, () => {
        const value = tf.matMul(a, b);
        const [da, db] = stock([a, b], dy) as [tf.Tensor, tf.Tensor];
        return { value, da, db };
      });

      expect(oursOut.value.shape).toEqual([m, n]);
      expect(oursOut.da.shape).toEqual([m, k]);
      expect(oursOut.db.shape).toEqual([k, n]);
      expect(
        maxRelDiff(await oursOut.value.data(), await stockOut.value.data()),
      ).toBeLessThanOrEqual(1e-5);
      expect(maxRelDiff(await oursOut.da.data(), await stockOut.da.data())).toBeLessThanOrEqual(
        1e-5,
      );
      expect(maxRelDiff(await oursOut.db.data(), await stockOut.db.data())).toBeLessThanOrEqual(
        1e-5,
      );

      // The gradient is da = dy b^T and db = a^T dy, computed with plain (untransposed) matMuls;
      // the stock gradient asks the kernel for transposed operands.
      expect(oursCalls.length).toBeGreaterThanOrEqual(3);
      expect(oursCalls.every((c) => !c.transposeA && !c.transposeB)).toBe(true);
      expect(stockCalls.some((c) => c.transposeA || c.transposeB)).toBe(true);

      // Against an independent reference: the gradients written out as transposes and products.
      const [refDa, refDb] = tf.tidy(() => [
        tf.matMul(dy, tf.transpose(b)),
        tf.matMul(tf.transpose(a), dy),
      ]) as [tf.Tensor, tf.Tensor];
      expect(maxRelDiff(await oursOut.da.data(), await refDa.data())).toBeLessThanOrEqual(1e-6);
      expect(maxRelDiff(await oursOut.db.data(), await refDb.data())).toBeLessThanOrEqual(1e-6);

      tf.dispose([a, b, dy, refDa, refDb, oursOut.value, oursOut.da, oursOut.db]);
      tf.dispose([stockOut.value, stockOut.da, stockOut.db]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});

describe('registry with both adapters registered', () => {
  const brokenReason = 'no such device in this test';
  let brokenActivated = false;
  const broken: BackendAdapter = {
    specVersion: BACKEND_SPEC_VERSION,
    name: 'wasm-broken',
    priority: 30,
    platforms: ['node', 'browser'],
    description: 'a wasm backend that never works, for the registry test',
    probe: async () => ({ available: false, reason: brokenReason, hint: 'there is none' }),
    activate: async () => {
      brokenActivated = true;
      throw new Error('activate() of an unavailable backend must not be called');
    },
    release: async () => {},
  };
  const failing: BackendAdapter = {
    ...broken,
    name: 'wasm-failing',
    priority: 25,
    probe: async () => ({ available: true, detail: 'claims to work' }),
    activate: async () => {
      throw new Error('initialisation failed in this test');
    },
  };

  test('lists and probes both, wasm first', async () => {
    expect(listBackends().map((a) => a.name)).toEqual(['wasm', 'cpu']);
    const statuses = await probeBackends();
    expect(statuses.map((s) => [s.name, s.priority, s.probe.available])).toEqual([
      ['wasm', 20, true],
      ['cpu', 10, true],
    ]);
  });

  test('auto picks wasm (priority 20 over 10)', async () => {
    await useBackend('cpu');
    const selection = await useBackend('auto');
    expect(selection.info.name).toBe('wasm');
    expect(selection.skipped).toEqual([]);
    expect(tf.getBackend()).toBe('wasm');
  });

  test('auto skips an unavailable higher-priority backend with its reason and still picks wasm', async () => {
    registerBackend(broken);
    try {
      expect(listBackends()[0]?.name).toBe('wasm-broken');
      await useBackend('cpu');
      const selection = await useBackend('auto');
      expect(selection.info.name).toBe('wasm');
      expect(selection.skipped).toEqual([{ name: 'wasm-broken', reason: brokenReason }]);
      expect(tf.getBackend()).toBe('wasm');
      expect(brokenActivated).toBe(false);

      // Asked for by name, it fails with the reason and the hint.
      const error = await useBackend('wasm-broken').then(
        () => null,
        (e: unknown) => e,
      );
      expect(isGradlabError(error) && error.code).toBe('BACKEND_UNAVAILABLE');
      expect((error as Error).message).toContain(brokenReason);
      expect((error as Error).message).toContain('there is none');
      expect(brokenActivated).toBe(false);
    } finally {
      unregisterBackend('wasm-broken');
    }
    expect(listBackends().map((a) => a.name)).toEqual(['wasm', 'cpu']);
  });

  test('auto skips a backend whose activation throws and picks the next', async () => {
    registerBackend(broken);
    registerBackend(failing);
    try {
      const selection = await useBackend('auto');
      expect(selection.info.name).toBe('wasm');
      expect(selection.skipped).toEqual([
        { name: 'wasm-broken', reason: brokenReason },
        { name: 'wasm-failing', reason: 'initialisation failed in this test' },
      ]);
    } finally {
      unregisterBackend('wasm-broken');
      unregisterBackend('wasm-failing');
    }
  });

  test('without wasm, auto falls back to cpu', async () => {
    registerBackend(broken);
    unregisterBackend('wasm');
    try {
      const selection = await useBackend('auto');
      expect(selection.info.name).toBe('cpu');
      expect(selection.skipped).toEqual([{ name: 'wasm-broken', reason: brokenReason }]);
      expect(tf.getBackend()).toBe('cpu');
    } finally {
      unregisterBackend('wasm-broken');
      registerBackend(wasmBackend);
    }
    expect((await useBackend('auto')).info.name).toBe('wasm');
  });
});
