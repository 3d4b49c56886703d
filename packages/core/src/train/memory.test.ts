/** Runs dispose every tensor they create, however they end, and leak nothing per step. */
import { beforeAll, describe, expect, test } from 'vitest';
import {
  type ExperimentSpec,
  type ExperimentSpecInput,
  type GradientTransform,
  runExperiment,
} from '../index.js';
import { caught, memory, tinySpec, useCpu } from '../test-support.js';

beforeAll(async () => {
  await useCpu();
  // Warm-up: anything tfjs allocates once per process is allocated before the first count.
  await runExperiment(tinySpec({ training: { steps: 2, batchSize: 8 } }));
});

type OptimizerInput = NonNullable<NonNullable<ExperimentSpecInput['training']>['optimizer']>;

const mlp = (optimizer: OptimizerInput, steps = 3) =>
  tinySpec({ training: { steps, batchSize: 8, optimizer }, diagnostics: { every: 3 } });

const recurrent = (kind: 'rnn' | 'lstm' | 'gru', steps: number) =>
  tinySpec({
    data: { kind: 'adding', length: 5, samples: 32 },
    model: { kind, hiddenSize: 4 },
    training: { steps, batchSize: 4, optimizer: { kind: 'adam', lr: 0.01 } },
    diagnostics: { every: 7 },
  });

describe('a finished run leaves memory as it found it', () => {
  test.each([
    ['sgd', { kind: 'sgd', lr: 0.1 }],
    ['momentum', { kind: 'momentum', lr: 0.1, momentum: 0.9 }],
    ['adam', { kind: 'adam', lr: 0.01 }],
  ] as const)('mlp with %s', async (_, optimizer) => {
    const before = memory();
    await runExperiment(mlp(optimizer));
    expect(memory()).toEqual(before);
  });

  test.each(['rnn', 'lstm', 'gru'] as const)('%s', async (kind) => {
    const before = memory();
    await runExperiment(recurrent(kind, 3));
    expect(memory()).toEqual(before);
  });

  test('cancelled', async () => {
    const before = memory();
    const controller = new AbortController();
    const result = await runExperiment(mlp({ kind: 'sgd', lr: 0.1 }, 5), {
      signal: controller.signal,
      listeners: [(e) => (e.type === 'step' ? controller.abort() : undefined)],
    });
    expect(result.status).toBe('cancelled');
    expect(memory()).toEqual(before);
  });
});

describe('mitigations leak nothing either', () => {
  const cases: [string, Partial<ExperimentSpecInput>][] = [
    ['batchnorm', { model: { kind: 'mlp', depth: 3, width: 6, norm: 'batchnorm' } }],
    [
      'layernorm and residual',
      { model: { kind: 'mlp', depth: 4, width: 6, norm: 'layernorm', residual: { every: 1 } } },
    ],
    ['prelu', { model: { kind: 'mlp', depth: 3, width: 6, activation: 'prelu' } }],
    ['global-norm clipping', { training: { clip: { kind: 'global-norm', maxNorm: 0.1 } } }],
    ['value clipping', { training: { clip: { kind: 'value', limit: 0.01 } } }],
    ['L1 and L2 penalties', { training: { regularization: { l1: 0.01, l2: 0.01 } } }],
    ['weight clipping', { training: { weightClip: { limit: 0.05 } } }],
    [
      'a cosine schedule with warm-up',
      { training: { schedule: { kind: 'cosine', warmupSteps: 2 } } },
    ],
    ['layer-wise pre-training', { training: { pretraining: { stepsPerLayer: 3 } } }],
  ];
  test.each(cases)('%s', async (_, over) => {
    const spec = tinySpec({
      ...over,
      training: { steps: 6, batchSize: 8, ...over.training },
      diagnostics: { every: 3 },
    });
    const before = memory();
    const counts = new Map<number, number>();
    const result = await runExperiment(spec, {
      listeners: [(e) => void (e.type === 'step' && counts.set(e.step, memory().numTensors))],
    });
    expect(result.status).toBe('complete');
    expect(counts.get(6)).toBe(counts.get(1));
    expect(memory()).toEqual(before);
  });
});

describe('no growth per step', () => {
  /** Live tensors at the end of each step (the step event), by step. */
  async function tensorsPerStep(spec: ExperimentSpec): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    await runExperiment(spec, {
      listeners: [(e) => void (e.type === 'step' && counts.set(e.step, memory().numTensors))],
    });
    return counts;
  }

  test('a tiny MLP: as many tensors after 100 steps as after 1', async () => {
    const counts = await tensorsPerStep(mlp({ kind: 'adam', lr: 0.001 }, 100));
    expect(counts.size).toBe(100);
    expect(counts.get(100)).toBe(counts.get(1));
    expect(new Set(counts.values()).size).toBe(1);
  });

  test.each(['lstm', 'gru'] as const)('a tiny %s on the adding problem', async (kind) => {
    const counts = await tensorsPerStep(recurrent(kind, 100));
    expect(counts.get(100)).toBe(counts.get(1));
    expect(new Set(counts.values()).size).toBe(1);
  });
});

describe('a run that throws still disposes everything', () => {
  test('a listener throws', async () => {
    const before = memory();
    const e = await caught(() =>
      runExperiment(mlp({ kind: 'adam', lr: 0.01 }), {
        listeners: [
          (ev) => {
            if (ev.type === 'step' && ev.step === 2) throw new Error('listener broke');
          },
        ],
      }),
    );
    expect((e as Error).message).toBe('listener broke');
    expect(memory()).toEqual(before);
  });

  test.each([1, 2])('a gradient transform throws at step %i', async (failAt) => {
    const failing: GradientTransform = {
      name: 'failing',
      apply: (grads, _variables, step) => {
        if (step === failAt) throw new Error('transform broke');
        return { grads: [...grads] };
      },
    };
    const before = memory();
    const e = await caught(() =>
      runExperiment(mlp({ kind: 'sgd', lr: 0.1 }), { transforms: [failing] }),
    );
    expect((e as Error).message).toBe('transform broke');
    expect(memory()).toEqual(before);
  });
});
