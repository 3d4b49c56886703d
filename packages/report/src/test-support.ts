/**
 * Helpers of @gradlab/report's tests (excluded from the build): a synthetic record with known
 * numbers, and a real tiny run on the tfjs CPU backend.
 */
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ExperimentSpecInput,
  type LayerDiagnostics,
  parseSpec,
  runExperiment,
  type StepDiagnostics,
} from '@gradlab/core';
import { createRunRecorder, type RunRecord, readRunRecord } from '@gradlab/core/node';
import { TEST_CPU_BACKEND, useCpu } from '@gradlab/testkit/helpers';

function layer(name: string, gradNorm: number, last: number): LayerDiagnostics {
  return {
    name,
    gradNorm,
    biasGradNorm: null,
    weightNorm: 1,
    gradToWeight: gradNorm,
    ratioToLast: gradNorm / last,
    updateToWeight: null,
    activationMean: null,
    activationStd: null,
    saturation: null,
    deadFraction: null,
    nonFinite: 0,
    verdict: gradNorm / last < 1e-3 ? 'vanishing' : 'healthy',
  };
}

/**
 * A synthetic MLP record: `layers` layers whose gradient shrinks 10x per layer towards the
 * input (dense1 = 10^-(layers-1) of the output's), `steps` steps, every `every`-th full.
 */
export function syntheticRecord(
  o: {
    layers?: number;
    steps?: number;
    every?: number;
    name?: string;
    kind?: 'mlp' | 'rnn';
    /** Telemetry of each step (none by default). */
    telemetry?: (step: number) => Record<string, number>;
    /** Full steps measure saturation (i / layers) and dead fraction (step / (10 x steps)). */
    unitHealth?: boolean;
  } = {},
): RunRecord {
  const nLayers = o.layers ?? 5;
  const steps = o.steps ?? 10;
  const every = o.every ?? 5;
  const kind = o.kind ?? 'mlp';
  const names = Array.from({ length: nLayers }, (_, i) =>
    i === nLayers - 1 ? 'output' : `dense${i + 1}`,
  );
  const metrics = Array.from({ length: steps }, (_, k) => {
    const step = k + 1;
    const full = step === 1 || step === steps || step % every === 0;
    const layers = names.map((n, i) => {
      const l = layer(n, 0.5 * 10 ** (i - nLayers + 1), 0.5);
      return o.unitHealth && full
        ? { ...l, saturation: i / nLayers, deadFraction: step / (10 * steps) }
        : l;
    });
    const d: StepDiagnostics & { ms: number } = {
      step,
      full,
      loss: 2 / step,
      accuracy: full ? Math.min(1, step / steps) : null,
      globalGradNorm: 0.5,
      layers,
      signal:
        full && kind === 'rnn'
          ? {
              labels: ['t=1', 't=2', 't=3', 't=4'],
              norms: [1e-4, 1e-3, 1e-2, 1e-1],
              ratioFirstToLast: 1e-3,
              verdict: 'vanishing',
            }
          : null,
      telemetry: o.telemetry?.(step) ?? {},
      verdict: 'vanishing',
      evidence: [
        {
          verdict: 'vanishing',
          source: 'weight-gradient',
          layer: 'dense1',
          value: 0.5 * 10 ** (1 - nLayers),
          summary: `weight gradient of dense1 ${(0.5 * 10 ** (1 - nLayers)).toExponential(1)}`,
        },
      ],
      ms: 1,
    };
    return d;
  });
  const specInput: ExperimentSpecInput = {
    gradlab: 1,
    name: o.name ?? 'synthetic',
    data:
      kind === 'rnn'
        ? { kind: 'adding', length: 4, samples: 32 }
        : { kind: 'teacher', inputSize: 4, outputSize: 2, samples: 32 },
    model:
      kind === 'rnn'
        ? { kind: 'rnn', hiddenSize: 4 }
        : { kind: 'mlp', depth: nLayers, width: 4, activation: 'sigmoid' },
    training: { steps },
    diagnostics: { every },
  } as ExperimentSpecInput;
  const final = [...metrics].reverse().find((m) => m.full) ?? null;
  return {
    spec: parseSpec(specInput),
    manifest: {
      gradlab: 1,
      status: 'complete',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      environment: {
        gradlabCore: '0.1.0',
        node: 'v20.0.0',
        platform: 'linux',
        arch: 'x64',
        cpu: 'Test CPU',
        cpus: 4,
      },
      backend: TEST_CPU_BACKEND,
      result: {
        status: 'complete',
        stepsCompleted: steps,
        backend: 'cpu',
        final,
        verdict: 'vanishing',
        worstVerdict: 'vanishing',
        firstProblems: [{ verdict: 'vanishing', step: 1, layer: 'dense1' }],
        loss: { first: 2, last: 2 / steps },
        evaluation: null,
        pretraining: [],
        timings: { setupMs: 1, totalMs: 1000, medianStepMs: 1 },
      },
    },
    metrics,
    pretraining: [],
  };
}

/** Runs a tiny real experiment on the CPU backend into a fresh directory; returns its path. */
export async function tinyRun(over: Partial<ExperimentSpecInput> = {}): Promise<string> {
  await useCpu();
  const spec = parseSpec({
    gradlab: 1,
    name: 'tiny-test',
    seed: 7,
    data: { kind: 'teacher', task: 'classification', inputSize: 4, outputSize: 3, samples: 64 },
    model: { kind: 'mlp', depth: 4, width: 6, activation: 'tanh', init: 'xavier-uniform' },
    training: { steps: 6, batchSize: 8 },
    diagnostics: { every: 2 },
    ...over,
  } as ExperimentSpecInput);
  const dir = join(await mkdtemp(join(tmpdir(), 'gradlab-report-')), 'run');
  const recorder = await createRunRecorder(dir, spec, TEST_CPU_BACKEND);
  await runExperiment(spec, { listeners: [recorder.listener] });
  return dir;
}

export async function tinyRecord(over: Partial<ExperimentSpecInput> = {}): Promise<RunRecord> {
  return readRunRecord(await tinyRun(over));
}

/** The items (paths, lines, texts) of every mark group of a rendered SVG whose class names `name`. */
export function markItems(svg: string, name: string): number {
  const groups = [
    ...svg.matchAll(new RegExp(`<g class="mark-[a-z]+ role-mark ${name}"[^>]*>(.*?)</g>`, 'gs')),
  ];
  return groups.reduce((n, g) => n + (g[1]?.match(/<(path|line|text)\b/g)?.length ?? 0), 0);
}
