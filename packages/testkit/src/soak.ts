import {
  type BackendAdapter,
  type ExperimentSpecInput,
  parseSpec,
  type RunListener,
  runExperiment,
  safeProbe,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

export interface SoakOptions {
  readonly adapter: BackendAdapter;
  /** Steps of the run, every one with full diagnostics; default 1,000. */
  readonly steps?: number;
  /** The step after which tensors, bytes and RSS must stay flat; default 100. */
  readonly warmupSteps?: number;
  /** How far the process's RSS may grow from the warm-up step to the end; default 64 MiB. */
  readonly rssGrowthBound?: number;
  /**
   * An unavailable backend fails the soak instead of skipping it: CI sets this where the
   * backend must be there (the BLAS addon with GRADLAB_BLAS_REQUIRED=1).
   */
  readonly required?: boolean;
  /** Default 240,000 ms. */
  readonly timeoutMs?: number;
}

const MiB = 2 ** 20;

/**
 * The soak's model: small enough for 1,000 full-diagnostics steps in seconds on 2 cores, with
 * every kind of per-step work a run does (BatchNorm state updates, Adam slots, global-norm
 * clipping, activation statistics, the backpropagated signal).
 */
export const SOAK_SPEC: ExperimentSpecInput = {
  gradlab: 1,
  name: 'soak',
  seed: 3,
  data: { kind: 'teacher', inputSize: 8, outputSize: 2, samples: 256 },
  model: { kind: 'mlp', depth: 3, width: 16, activation: 'tanh', norm: 'batchnorm' },
  training: {
    batchSize: 16,
    optimizer: { kind: 'adam', lr: 0.001 },
    clip: { kind: 'global-norm', maxNorm: 5 },
  },
  diagnostics: { every: 1 },
};

export interface Sample {
  readonly step: number;
  readonly numTensors: number;
  readonly numBytes: number;
  readonly rss: number;
  readonly heapUsed: number;
}

/**
 * V8's collector, exposed at run time: RSS read right after a full collection counts what is
 * retained, not garbage that a later collection would free. node:v8 and node:vm are imported
 * here, not at the top, so that the kit's index also loads in a browser (the playground's
 * WebGL adapter runs the conformance kit in Chromium); the soak itself is for Node.
 */
async function collector(): Promise<() => void> {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function sample(step: number, gc: () => void): Sample {
  gc();
  const { numTensors, numBytes } = tf.memory();
  const { rss, heapUsed } = process.memoryUsage();
  return { step, numTensors, numBytes, rss, heapUsed };
}

/** What a soak measured: tensors, bytes and memory at the warm-up step and at the end. */
export interface SoakFigures {
  readonly backend: string;
  readonly seconds: number;
  readonly fullSteps: number;
  readonly start: Sample;
  readonly end: Sample;
}

/**
 * Runs SOAK_SPEC for `steps` steps on the active tfjs backend, full diagnostics on every step,
 * sampling after step `warmup` and the last. `extra` listens too (the kit's self-test leaks
 * through it, to show the soak catches a leak).
 */
export async function runSoak(
  backend: string,
  steps: number,
  warmup: number,
  extra: RunListener[] = [],
): Promise<SoakFigures> {
  const gc = await collector();
  const spec = parseSpec({ ...SOAK_SPEC, training: { ...SOAK_SPEC.training, steps } });
  const samples = new Map<number, Sample>();
  let fullSteps = 0;
  const t0 = performance.now();
  const result = await runExperiment(spec, {
    listeners: [
      ...extra,
      (e) => {
        if (e.type !== 'step') return;
        // Activation statistics come with full diagnostics only.
        if (typeof e.diagnostics?.layers[0]?.activationMean === 'number') fullSteps += 1;
        if (e.step === warmup || e.step === steps) samples.set(e.step, sample(e.step, gc));
      },
    ],
  });
  if (result.status !== 'complete')
    throw new Error(`the soak run did not complete: ${result.error}`);
  return {
    backend,
    seconds: (performance.now() - t0) / 1000,
    fullSteps,
    start: samples.get(warmup) as Sample,
    end: samples.get(steps) as Sample,
  };
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/** The figures as CI prints them. */
export function soakLine(f: SoakFigures, bound: number): string {
  const at = (s: Sample) =>
    `step ${s.step}: ${s.numTensors} tensors, ${s.numBytes} B, RSS ${mib(s.rss)}, JS heap ${mib(s.heapUsed)}`;
  return `[soak] ${f.backend}: ${f.end.step} steps in ${f.seconds.toFixed(1)} s; ${at(f.start)}; ${at(f.end)}; RSS growth ${mib(f.end.rss - f.start.rss)} (bound ${mib(bound)})`;
}

/** What the soak found wrong: tensors or bytes that moved after warm-up, RSS over the bound. */
export function soakFailures(f: SoakFigures, steps: number, bound: number): string[] {
  const failures: string[] = [];
  if (f.fullSteps !== steps) failures.push(`${f.fullSteps} of ${steps} steps had full diagnostics`);
  if (f.end.numTensors !== f.start.numTensors || f.end.numBytes !== f.start.numBytes) {
    failures.push(
      `live tensors went from ${f.start.numTensors} (${f.start.numBytes} B) at step ${f.start.step} to ${f.end.numTensors} (${f.end.numBytes} B) at step ${f.end.step}`,
    );
  }
  const growth = f.end.rss - f.start.rss;
  if (growth >= bound) failures.push(`RSS grew by ${mib(growth)}, over the bound of ${mib(bound)}`);
  return failures;
}

/**
 * Registers `soak: <name>`: one long run of SOAK_SPEC with full diagnostics on every step, on
 * the backend under test. A leak of one tensor per step, or of host memory per step (a
 * read-back buffer, a kernel cache keyed by step), shows after hundreds of steps where a
 * 50-step check misses it. Asserts tf.memory()'s tensors and bytes exactly equal at the
 * warm-up step and the last, and RSS growth between them under a bound; prints the figures.
 * An unavailable backend is skipped with the probe's reason printed (failed when `required`).
 */
export function describeBackendSoak(o: SoakOptions): void {
  const steps = o.steps ?? 1000;
  const warmup = o.warmupSteps ?? 100;
  const bound = o.rssGrowthBound ?? 64 * MiB;
  const name = o.adapter.name;
  describe(`soak: ${name}`, () => {
    it(
      `${steps} full-diagnostics steps: tensors and bytes flat after step ${warmup}, RSS growth under ${bound / MiB} MiB`,
      async (ctx) => {
        const probe = await safeProbe(o.adapter);
        if (!probe.available) {
          const why = `${name} is not available here: ${probe.reason}. To fix: ${probe.hint}`;
          if (o.required) expect.fail(`${why} (it is required here)`);
          console.log(`[soak] ${name}: skipped (${why})`);
          ctx.skip(why);
          return;
        }
        await o.adapter.activate();
        const figures = await runSoak(name, steps, warmup);
        console.log(soakLine(figures, bound));
        expect(soakFailures(figures, steps, bound)).toEqual([]);
      },
      o.timeoutMs ?? 240_000,
    );
  });
}
