import type { ExperimentSpecInput } from '@gradlab/core';

// The tiny specs the backend-alone tests start from: small enough to run 50 steps in a test.

export const tinyMlp = (seed: number, steps: number): ExperimentSpecInput => ({
  gradlab: 1,
  seed,
  data: { kind: 'teacher', inputSize: 4, outputSize: 2, samples: 48 },
  model: { kind: 'mlp', depth: 3, width: 6, activation: 'tanh', norm: 'layernorm' },
  training: { steps, batchSize: 8, optimizer: { kind: 'adam', lr: 0.01 } },
  diagnostics: { every: 10 },
});

export const tinyLstm = (seed: number, steps: number): ExperimentSpecInput => ({
  gradlab: 1,
  seed,
  data: { kind: 'adding', length: 5, samples: 32 },
  model: { kind: 'lstm', hiddenSize: 4 },
  training: { steps, batchSize: 4, optimizer: { kind: 'adam', lr: 0.01 } },
  diagnostics: { every: 10 },
});
