import {
  BACKEND_SPEC_VERSION,
  type BackendAdapter,
  type ExperimentSpecInput,
  getBackendAdapter,
  isGradlabError,
  type KnownGap,
  listBackends,
  type ProbeResult,
  parseSpec,
  probeBackends,
  registerBackend,
  runExperiment,
  safeProbe,
  unregisterBackend,
  useBackend,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPSILON_OF, relDiff } from './compare.js';
import { KitContext } from './context.js';
import { checkGradient } from './gradients.js';
import {
  CONFORMANCE_TESTS,
  type ConformanceTestId,
  GRADIENT_TESTS,
  KERNEL_TESTS,
  MODEL_TESTS,
} from './ids.js';
import { checkKernel } from './kernels.js';
import { checkNormRange } from './norm-range.js';
import { checkRun, type LoggedRun, MITIGATIONS_SPEC, MODEL_SPECS, runLogged } from './runs.js';

export interface ConformanceOptions {
  /** The backend under test. */
  readonly adapter: BackendAdapter;
  /**
   * The backend it is compared with, normally `cpuBackend` from @gradlab/backend-cpu. The kit
   * takes it as a parameter rather than importing it, so that @gradlab/backend-cpu, itself
   * checked by the kit, does not form a dependency cycle with it.
   */
  readonly oracle: BackendAdapter;
  /** Tests expected to fail, with why; default: adapter.knownGaps ?? []. */
  readonly knownGaps?: readonly KnownGap[];
  /**
   * Relative tolerance against the oracle; default from the float precision of the less
   * precise of the two backends: fp32 -> 1e-4, fp16 -> 5e-2 (see `toleranceFor`).
   */
  readonly tolerance?: number;
  /** Per test, default 120_000. */
  readonly timeoutMs?: number;
}

/** For the kit's own tests: register only these ids. */
export interface InternalOptions {
  readonly only?: readonly string[];
}

/** The test that is never skipped: it needs no working backend. */
const ALWAYS_RUNS = 'probe/unavailable';

/** Problems with a knownGaps list: unknown ids, duplicates, missing reasons. */
export function knownGapProblems(gaps: readonly KnownGap[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const g of gaps) {
    if (!CONFORMANCE_TESTS.includes(g.test)) {
      problems.push(`'${g.test}' is not a conformance test (see CONFORMANCE_TESTS)`);
    } else if (seen.has(g.test)) {
      problems.push(`'${g.test}' is listed twice`);
    }
    seen.add(g.test);
    if (typeof g.reason !== 'string' || g.reason.trim() === '') {
      problems.push(`'${g.test}' has no reason`);
    }
  }
  return problems;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Rejects when `fn` has not settled after `ms`. */
async function withTimeout(fn: () => Promise<void>, ms: number, id: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`'${id}' timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The adapter's probe as the suite is collected: registry rules, and whether it threw. */
async function probeForCollection(
  adapter: BackendAdapter,
): Promise<{ result: ProbeResult; threw: boolean }> {
  const viaRegistry = await safeProbe(adapter); // platform check, and a throw made unavailable
  if (viaRegistry.available) return { result: viaRegistry, threw: false };
  try {
    await adapter.probe();
    return { result: viaRegistry, threw: false };
  } catch {
    return { result: viaRegistry, threw: true };
  }
}

const tinyMlp = (seed: number, steps: number): ExperimentSpecInput => ({
  gradlab: 1,
  seed,
  data: { kind: 'teacher', inputSize: 4, outputSize: 2, samples: 48 },
  model: { kind: 'mlp', depth: 3, width: 6, activation: 'tanh', norm: 'layernorm' },
  training: { steps, batchSize: 8, optimizer: { kind: 'adam', lr: 0.01 } },
  diagnostics: { every: 10 },
});

const tinyLstm = (seed: number, steps: number): ExperimentSpecInput => ({
  gradlab: 1,
  seed,
  data: { kind: 'adding', length: 5, samples: 32 },
  model: { kind: 'lstm', hiddenSize: 4 },
  training: { steps, batchSize: 4, optimizer: { kind: 'adam', lr: 0.01 } },
  diagnostics: { every: 10 },
});

/** Equal for 'determinism/seed': bitwise, or within 1e-7 relative (absolute below 1). */
function sameNumber(a: number, b: number): boolean {
  return Object.is(a, b) || Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(a), Math.abs(b));
}

export function registerConformance(
  options: ConformanceOptions,
  internal: InternalOptions = {},
): void {
  const { adapter } = options;
  const { oracle } = options;
  const knownGaps = options.knownGaps ?? adapter.knownGaps ?? [];
  const timeoutMs = options.timeoutMs ?? 120_000;
  const only = internal.only ? new Set(internal.only) : null;

  describe(`conformance: ${adapter.name}`, async () => {
    const ctx = new KitContext(adapter, oracle, options.tolerance);
    const probe = await probeForCollection(adapter);
    const skipReason = probe.result.available
      ? null
      : `${adapter.name} is unavailable here: ${probe.result.reason}`;
    if (!probe.result.available) {
      console.warn(
        `[@gradlab/testkit] ${adapter.name} is not available here: ${probe.result.reason}. To fix: ${probe.result.hint}. Its conformance tests are skipped (all but '${ALWAYS_RUNS}').`,
      );
    }
    // A probe that throws is a bug the skip must not hide.
    const exempt = new Set<string>([ALWAYS_RUNS, ...(probe.threw ? ['adapter/probe'] : [])]);

    const previous = new Map<string, BackendAdapter | undefined>();
    let initialBackend: string | null = null;
    beforeAll(() => {
      if (adapter.name === oracle.name && adapter !== oracle) {
        throw new Error(
          `the backend under test and the oracle are both named "${adapter.name}": give the oracle another name`,
        );
      }
      initialBackend = tf.getBackend() ?? null;
      for (const name of new Set([oracle.name, adapter.name])) {
        try {
          previous.set(name, getBackendAdapter(name));
        } catch {
          previous.set(name, undefined);
        }
      }
      registerBackend(oracle);
      registerBackend(adapter);
    }, timeoutMs);

    afterAll(async () => {
      for (const [name, before] of previous) {
        if (before) registerBackend(before);
        else unregisterBackend(name);
      }
      if (initialBackend && tf.getBackend() !== initialBackend) {
        await tf.setBackend(initialBackend);
      }
    }, timeoutMs);

    const problems = knownGapProblems(knownGaps);
    if (problems.length > 0 && (!only || only.has('knownGaps'))) {
      it(`knownGaps of ${adapter.name} are invalid`, () => {
        throw new Error(
          `knownGaps: ${problems.join('; ')}. Valid ids: ${CONFORMANCE_TESTS.join(', ')}`,
        );
      });
    }
    const gaps = new Map(knownGaps.map((g) => [g.test, g]));

    const register = (id: ConformanceTestId, body: () => Promise<void>): void => {
      if (only && !only.has(id)) return;
      if (skipReason && !exempt.has(id)) {
        it.skip(`${id} (skipped: ${skipReason})`, () => {});
        return;
      }
      const gap = gaps.get(id);
      if (!gap) {
        it(id, { timeout: timeoutMs }, body);
        return;
      }
      it(`${id} (known gap: ${gap.reason})`, { timeout: timeoutMs + 10_000 }, async () => {
        const failure = await withTimeout(body, timeoutMs, id).then(
          () => null,
          (e: unknown) => e ?? new Error('rejected without a reason'),
        );
        if (failure === null) {
          throw new Error(`known gap '${id}' now passes: remove it from knownGaps`);
        }
        console.info(
          `[@gradlab/testkit] known gap '${id}' of ${adapter.name} fails as expected (${gap.reason}): ${message(failure).split('\n')[0]}`,
        );
      });
    };

    // ---- the adapter contract -------------------------------------------------------------

    register('adapter/spec', async () => {
      expect(adapter.specVersion, 'specVersion').toBe(BACKEND_SPEC_VERSION);
      expect(adapter.name, 'name (what users type after --backend)').toMatch(
        /^[A-Za-z0-9][\w.-]*$/,
      );
      expect(adapter.name, 'name').not.toBe('auto');
      expect(Number.isFinite(adapter.priority), `priority ${adapter.priority}`).toBe(true);
      expect(adapter.platforms.length, 'platforms').toBeGreaterThan(0);
      for (const p of adapter.platforms) expect(['node', 'browser'], 'platforms').toContain(p);
      expect(new Set(adapter.platforms).size, 'platforms without repeats').toBe(
        adapter.platforms.length,
      );
      expect(typeof adapter.description).toBe('string');
      expect(adapter.description.trim().length, 'description').toBeGreaterThan(0);
      for (const method of ['probe', 'activate', 'release'] as const) {
        expect(typeof adapter[method], method).toBe('function');
      }
      if (adapter.knownGaps !== undefined) {
        expect(knownGapProblems(adapter.knownGaps), 'adapter.knownGaps').toEqual([]);
      }
      expect(getBackendAdapter(adapter.name), 'registered by name').toBe(adapter);
    });

    register('adapter/probe', async () => {
      const backendBefore = tf.getBackend();
      const instancesBefore = Object.keys(tf.engine().registry).sort();
      const results: ProbeResult[] = [];
      for (let i = 0; i < 2; i++) {
        try {
          results.push(await adapter.probe());
        } catch (e) {
          throw new Error(
            `probe() threw; it must resolve { available: false, reason, hint } instead: ${message(e)}`,
          );
        }
      }
      const [first, second] = results as [ProbeResult, ProbeResult];
      expect(typeof first.available, 'available').toBe('boolean');
      if (first.available) {
        expect(typeof first.detail, 'detail').toBe('string');
        expect(first.detail.length, 'detail').toBeGreaterThan(0);
      } else {
        expect(first.reason.length, 'reason').toBeGreaterThan(0);
        expect(first.hint.length, 'hint').toBeGreaterThan(0);
      }
      expect(second.available, 'a second probe agrees').toBe(first.available);
      expect(tf.getBackend(), "probe() changed tfjs's active backend").toBe(backendBefore);
      expect(
        Object.keys(tf.engine().registry).sort(),
        'probe() initialised a tfjs backend',
      ).toEqual(instancesBefore);
    });

    register('adapter/activate', async () => {
      const info = await adapter.activate();
      expect(tf.getBackend(), 'the active tfjs backend after activate()').toBe(info.tfjsBackend);
      expect(info.name, 'info.name').toBe(adapter.name);
      expect(info.tfjsBackend.length, 'info.tfjsBackend').toBeGreaterThan(0);
      expect([16, 32], 'info.floatPrecision').toContain(info.floatPrecision);
      expect(info.epsilon, `info.epsilon of fp${info.floatPrecision}`).toBe(
        EPSILON_OF[info.floatPrecision],
      );
      expect(typeof info.device, 'info.device').toBe('string');
      expect(info.device.length, 'info.device').toBeGreaterThan(0);
      expect(typeof info.capabilities.syncReadback, 'capabilities.syncReadback').toBe('boolean');
      expect(typeof info.capabilities.multithreaded, 'capabilities.multithreaded').toBe('boolean');
      for (const [k, v] of Object.entries(info.versions)) {
        expect(typeof v, `versions['${k}']`).toBe('string');
      }
      // Idempotent, and reached through the registry after switching away.
      expect(await adapter.activate(), 'a second activate()').toEqual(info);
      expect(tf.getBackend()).toBe(info.tfjsBackend);
      await ctx.onOracle();
      const selection = await useBackend(adapter.name);
      expect(selection.info, `useBackend('${adapter.name}')`).toEqual(info);
      expect(selection.skipped).toEqual([]);
      expect(tf.getBackend()).toBe(info.tfjsBackend);
      const sum = tf.add(tf.tensor1d([1, 2, 3]), tf.tensor1d([10, 20, 30]));
      try {
        expect(Array.from(await sum.data())).toEqual([11, 22, 33]);
      } finally {
        tf.dispose(sum);
      }
    });

    register('adapter/release', async () => {
      const product = async () => {
        const p = tf.tidy(() =>
          tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])),
        );
        try {
          return Array.from(await p.data());
        } finally {
          tf.dispose(p);
        }
      };
      const info = await ctx.onBackend();
      expect(await product()).toEqual([19, 22, 43, 50]);
      await adapter.release();
      expect(
        tf.engine().registry[info.tfjsBackend],
        `release() left the tfjs "${info.tfjsBackend}" backend instance alive`,
      ).toBeUndefined();
      const again = await ctx.onBackend();
      expect(again.name).toBe(adapter.name);
      expect(tf.getBackend()).toBe(info.tfjsBackend);
      expect(await product(), 'a matMul after release() and activate()').toEqual([19, 22, 43, 50]);
      // Releasing twice is harmless, and so is activating after it.
      await adapter.release();
      await adapter.release();
      await ctx.onBackend();
      expect(await product(), 'a matMul after two releases').toEqual([19, 22, 43, 50]);
    });

    // ---- ops and layers against the oracle -----------------------------------------------

    for (const id of GRADIENT_TESTS) register(id, () => checkGradient(ctx, id));

    // ---- the kernels a backend replaces, against the oracle --------------------------------

    for (const id of KERNEL_TESTS) register(id, () => checkKernel(ctx, id));

    // ---- whole training runs against the oracle ------------------------------------------

    for (const id of MODEL_TESTS) {
      register(id, async () => {
        await checkRun(ctx, id, MODEL_SPECS[id]);
      });
    }

    register('training/mitigations', async () => {
      await ctx.onOracle();
      const reference = await runLogged(MITIGATIONS_SPEC);
      // The spec must exercise what it claims to, or the comparison proves nothing.
      const telemetry = reference.steps.map((s) => s.diagnostics?.telemetry ?? {});
      expect(
        telemetry.every((t) => (t['clip.clipped'] ?? 0) > 0),
        'the global norm is clipped on every step',
      ).toBe(true);
      const lrs = telemetry.map((t) => t.lr ?? Number.NaN);
      expect(lrs[0] as number, 'warm-up: the first rate is below the third').toBeLessThan(
        lrs[2] as number,
      );
      expect(lrs.at(-1) as number, 'cosine: the last rate is below the peak').toBeLessThan(
        Math.max(...lrs),
      );
      expect(
        telemetry.every((t) => (t['regularization.penalty'] ?? 0) > 0),
        'the l2 penalty is reported',
      ).toBe(true);
      await checkRun(ctx, 'training/mitigations', MITIGATIONS_SPEC);
    });

    // ---- properties of the backend alone ---------------------------------------------------

    register('numerics/norm-range', () => checkNormRange(ctx));

    register('determinism/seed', async () => {
      const tolerance = await ctx.tolerance();
      const spec = (seed: number): ExperimentSpecInput => ({
        ...tinyMlp(seed, 6),
        model: { kind: 'mlp', depth: 4, width: 8, activation: 'relu', norm: 'batchnorm' },
        diagnostics: { every: 3 },
      });
      await ctx.onBackend();
      const a = await runLogged(spec(7));
      const b = await runLogged(spec(7));
      const c = await runLogged(spec(8));
      const differences: string[] = [];
      a.steps.forEach((s, i) => {
        const t = b.steps[i];
        if (!t || !sameNumber(s.loss, t.loss)) {
          differences.push(`step ${s.step} loss ${s.loss} then ${t?.loss}`);
        }
        s.diagnostics?.layers.forEach((l, j) => {
          const other = t?.diagnostics?.layers[j]?.gradNorm;
          if (other === undefined || !sameNumber(l.gradNorm, other)) {
            differences.push(`step ${s.step} ${l.name} gradNorm ${l.gradNorm} then ${other}`);
          }
        });
      });
      if (differences.length > 0) {
        throw new Error(
          `two runs from the same seed differ at ${differences.length} point(s):\n  ${differences.slice(0, 8).join('\n  ')}`,
        );
      }
      const moved = a.steps.some((s, i) => relDiff(s.loss, c.steps[i]?.loss ?? s.loss) > tolerance);
      expect(moved, 'a run from another seed gives the same losses').toBe(true);
    });

    register('memory/no-leak', async () => {
      await ctx.onBackend();
      for (const [label, spec] of [
        ['MLP', tinyMlp],
        ['LSTM', tinyLstm],
      ] as const) {
        // Anything allocated once per process (kernel caches, grown heaps) is allocated first.
        await runExperiment(parseSpec(spec(5, 2)));
        const start = tf.memory();
        const perStep: { step: number; numTensors: number; numBytes: number }[] = [];
        const result = await runExperiment(parseSpec(spec(5, 50)), {
          listeners: [
            (e) => {
              if (e.type === 'step') {
                const { numTensors, numBytes } = tf.memory();
                perStep.push({ step: e.step, numTensors, numBytes });
              }
            },
          ],
        });
        const end = tf.memory();
        expect(result.status, `${label}: ${result.error ?? ''}`).toBe('complete');
        expect(perStep, `${label}: steps`).toHaveLength(50);
        const first = perStep[0] as (typeof perStep)[number];
        const grew = perStep.filter(
          (s) => s.numTensors !== first.numTensors || s.numBytes !== first.numBytes,
        );
        expect(
          grew.slice(0, 3),
          `${label}: live tensors/bytes after a step differ from after step 1 (${first.numTensors} tensors, ${first.numBytes} bytes)`,
        ).toEqual([]);
        expect(
          { numTensors: end.numTensors, numBytes: end.numBytes },
          `${label}: memory after the run`,
        ).toEqual({ numTensors: start.numTensors, numBytes: start.numBytes });
      }
    });

    register('readback/async-only', async () => {
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
      const runs: [string, ExperimentSpecInput, 'complete' | 'non-finite'][] = [
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
    });

    register('probe/unavailable', async () => {
      const reason = `the conformance kit's copy of ${adapter.name} reports its device missing`;
      const hint = 'nothing to fix: this is the registry test of @gradlab/testkit';
      const name = `${adapter.name}-probe-unavailable`;
      let activated = false;
      const top = Math.max(...listBackends().map((a) => a.priority), adapter.priority) + 1;
      const wrapped: BackendAdapter = {
        specVersion: adapter.specVersion,
        name,
        priority: top,
        platforms: adapter.platforms,
        description: `${adapter.description} (wrapped by the conformance kit: probe unavailable)`,
        probe: async () => ({ available: false, reason, hint }),
        activate: async () => {
          activated = true;
          return adapter.activate();
        },
        release: () => adapter.release(),
      };
      registerBackend(wrapped);
      try {
        const status = (await probeBackends()).find((s) => s.name === name);
        expect(status?.probe, 'probeBackends()').toEqual({ available: false, reason, hint });

        const byName = await useBackend(name).then(
          () => null,
          (e: unknown) => e,
        );
        expect(isGradlabError(byName) && byName.code, `useBackend('${name}')`).toBe(
          'BACKEND_UNAVAILABLE',
        );
        expect(message(byName)).toContain(reason);
        expect(message(byName)).toContain(hint);

        const auto = await useBackend('auto').then(
          (s) => s,
          (e: unknown) => e,
        );
        if (auto instanceof Error) {
          // Nothing else is available here either: the error still names it and its reason.
          expect(isGradlabError(auto) && auto.code, auto.message).toBe('BACKEND_UNAVAILABLE');
          expect(auto.message).toContain(`${name}: ${reason}`);
        } else {
          const selection = auto as Awaited<ReturnType<typeof useBackend>>;
          expect(selection.skipped[0], "useBackend('auto') skipped it first").toEqual({
            name,
            reason,
          });
          expect(selection.info.name).not.toBe(name);
        }
        expect(activated, 'activate() of an unavailable backend was called').toBe(false);
      } finally {
        unregisterBackend(name);
      }
    });
  });
}
