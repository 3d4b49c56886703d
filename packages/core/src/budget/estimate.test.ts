/**
 * The estimator against the models core builds: parameter counts exactly (the variables'
 * sizes), a training step's memory within a stated factor of what tf.profile measures.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildModel, type ExperimentSpecInput, loadDataset, type StepMode } from '../index.js';
import { fixture, stepOnce, tinySpec, useCpu } from '../test-support.js';
import { estimateBudget } from './estimate.js';
import { dataShapes } from './shapes.js';

beforeAll(useCpu);

const size = (vs: readonly tf.Variable[]) => vs.reduce((s, v) => s + v.size, 0);

const cases: [string, Partial<ExperimentSpecInput>][] = [
  ['a plain mlp', { model: { kind: 'mlp', depth: 4, width: 16 } }],
  [
    'per-layer widths, prelu and batchnorm',
    {
      model: {
        kind: 'mlp',
        depth: 4,
        width: [7, 12, 5],
        activation: ['prelu', 'tanh', 'prelu'],
        norm: 'batchnorm',
      },
    },
  ],
  [
    'residual blocks that change the width, layernorm',
    {
      model: {
        kind: 'mlp',
        depth: 6,
        width: [8, 8, 12, 12, 6],
        norm: 'layernorm',
        residual: { every: 2 },
      },
    },
  ],
  ['mnist', { data: { kind: 'mnist', samples: 20 }, model: { kind: 'mlp', depth: 2, width: 3 } }],
  [
    'spirals',
    {
      data: { kind: 'spirals', classes: 5, samples: 30 },
      model: { kind: 'mlp', depth: 3, width: 9 },
    },
  ],
  ...(['rnn', 'lstm', 'gru'] as const).map((kind): [string, Partial<ExperimentSpecInput>] => [
    kind,
    { data: { kind: 'adding', length: 6, samples: 16 }, model: { kind, hiddenSize: 5 } },
  ]),
];

describe('parameter counts equal the built model', () => {
  test.each(cases)('%s', async (_, over) => {
    const spec = tinySpec(over);
    const data = await loadDataset(spec.data, spec.seed);
    expect(dataShapes(spec.data)).toEqual({
      samples: data.size,
      xShape: data.xShape,
      yShape: data.yShape,
    });
    const model = buildModel(spec.model, data, spec.seed);
    try {
      const estimate = estimateBudget(spec);
      expect(estimate.parameters).toBe(size(model.variables));
      expect(estimate.stateValues).toBe(size(model.stateVariables));
    } finally {
      model.dispose();
    }
  });
});

/**
 * The estimate of a step's own memory (gradients, optimiser copies, activations) against the
 * peak of new bytes tf.profile sees over one full-diagnostics step. Within FACTOR either way:
 * enough to refuse what cannot fit, and to let through what can.
 */
const FACTOR = 1.5;

const stepCases: [string, Partial<ExperimentSpecInput>][] = [
  ['a relu mlp', { model: { kind: 'mlp', depth: 5, width: 96, activation: 'relu' } }],
  ['a gelu mlp', { model: { kind: 'mlp', depth: 5, width: 96, activation: 'gelu' } }],
  [
    'a batchnorm tanh mlp',
    { model: { kind: 'mlp', depth: 5, width: 96, activation: 'tanh', norm: 'batchnorm' } },
  ],
  [
    'a residual layernorm mlp',
    {
      model: { kind: 'mlp', depth: 7, width: 96, norm: 'layernorm', residual: { every: 2 } },
    },
  ],
  ['a wide, shallow mlp', { model: { kind: 'mlp', depth: 2, width: 1024 } }],
  ...(['rnn', 'lstm', 'gru'] as const).map((kind): [string, Partial<ExperimentSpecInput>] => [
    kind,
    { data: { kind: 'adding', length: 20, samples: 256 }, model: { kind, hiddenSize: 48 } },
  ]),
];

describe(`a training step's memory is within a factor ${FACTOR} of the estimate`, () => {
  test.each(stepCases)('%s', async (_, over) => {
    const mode: StepMode = 'full';
    const input = {
      data: { kind: 'teacher', inputSize: 32, outputSize: 4, samples: 256 },
      ...over,
      training: { batchSize: 128, optimizer: { kind: 'momentum', lr: 0.01 } },
    } as Partial<ExperimentSpecInput>;
    const spec = tinySpec(input);
    const f = await fixture(input);
    try {
      const profile = await tf.profile(async () => {
        await stepOnce(f, mode, { optimizer: spec.training.optimizer });
      });
      const e = estimateBudget(spec).bytes;
      const estimated = e.gradients + e.optimizer + e.activations;
      const ratio = estimated / profile.peakBytes;
      const figures = `estimated ${estimated} B, measured peak ${profile.peakBytes} B`;
      expect(ratio, figures).toBeGreaterThan(1 / FACTOR);
      expect(ratio, figures).toBeLessThan(FACTOR);
    } finally {
      f.model.dispose();
    }
  });
});
