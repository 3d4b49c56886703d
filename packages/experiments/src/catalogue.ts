import type { ExperimentSpecInput } from '@gradlab/core';
import type { Preset } from './preset.js';

/** The reference workload: 20 dense layers (784 -> 256 x 19 -> 10), batch 128, MNIST. */
const reference: ExperimentSpecInput = {
  gradlab: 1,
  name: 'reference',
  description: '20-layer ReLU MLP, width 256, He initialisation, batch 128, on MNIST digits.',
  seed: 0,
  data: { kind: 'mnist', samples: 10_000 },
  model: { kind: 'mlp', depth: 20, width: 256, activation: 'relu', init: 'he-normal' },
  training: { steps: 60, batchSize: 128, optimizer: { kind: 'sgd', lr: 0.01 } },
  diagnostics: { every: 10 },
};

/**
 * The adding problem over 50 steps: the recurrent presets differ only in the cell. Adam at 0.01
 * with batches of 32: the LSTM sits at the predict-the-mean MSE for about 400 steps, then learns
 * the task within about 100 (measured on seeds 0 to 2: by step 400 to 550), so 800 steps leave a
 * margin; the plain RNN stays at the baseline. 8,192 sequences, each seen about 3 times.
 */
const adding50 = {
  gradlab: 1,
  seed: 0,
  data: { kind: 'adding', length: 50, samples: 8192 },
  training: { steps: 800, batchSize: 32, optimizer: { kind: 'adam', lr: 0.01 } },
  diagnostics: { every: 50 },
} as const satisfies Omit<ExperimentSpecInput, 'model'>;

export const presets: readonly Preset[] = [
  {
    name: 'reference',
    title: '20-layer ReLU MLP with He initialisation on MNIST',
    claim:
      'He et al. (2015): with ReLU and He initialisation the gradient norm stays within an order of magnitude from the output layer to the first. Expect every layer healthy.',
    spec: reference,
  },
  {
    name: 'reference-sigmoid',
    title: 'The same network with sigmoid and small normal initialisation',
    claim:
      "Glorot & Bengio (2010): sigmoid's slope is at most 1/4 and small weights shrink the signal further, so the gradient decays geometrically towards the input. Expect the first layers vanishing, many orders of magnitude below the last.",
    spec: {
      ...reference,
      name: 'reference-sigmoid',
      description:
        '20-layer sigmoid MLP, width 256, N(0, 0.01^2) initialisation, batch 128, on MNIST digits.',
      model: {
        kind: 'mlp',
        depth: 20,
        width: 256,
        activation: 'sigmoid',
        init: { kind: 'normal', std: 0.01 },
      },
    },
  },
  {
    name: 'deep-sigmoid',
    title: '20-layer sigmoid MLP with Xavier initialisation on a teacher task',
    claim:
      "Glorot & Bengio (2010): even with Xavier initialisation, sigmoid's slope of at most 1/4 shrinks the backward signal at every layer. Expect the first layers vanishing; compare it with relu+he-init, batchnorm and residual (`gradlab compare deep-sigmoid --with relu+he-init,batchnorm,residual`).",
    spec: {
      gradlab: 1,
      name: 'deep-sigmoid',
      seed: 0,
      data: {
        kind: 'teacher',
        task: 'classification',
        inputSize: 16,
        outputSize: 4,
        samples: 2048,
      },
      model: { kind: 'mlp', depth: 20, width: 64, activation: 'sigmoid', init: 'xavier-normal' },
      training: { steps: 150, batchSize: 64, optimizer: { kind: 'adam', lr: 0.003 } },
      diagnostics: { every: 10 },
    },
  },
  {
    name: 'exploding-linear',
    title: '30-layer linear network with too-large initialisation',
    claim:
      'Saxe et al. (2014): in a deep linear network each layer multiplies the backward signal by about std * sqrt(width); at 0.25 * sqrt(64) = 2 per layer the gradient grows as 2^depth. Expect the first layers exploding on step 1, and the run non-finite from step 2: one update with such a gradient overflows float32, whatever the learning rate.',
    spec: {
      gradlab: 1,
      name: 'exploding-linear',
      seed: 0,
      data: { kind: 'teacher', task: 'regression', inputSize: 32, outputSize: 4, samples: 1024 },
      model: {
        kind: 'mlp',
        depth: 30,
        width: 64,
        activation: 'linear',
        init: { kind: 'normal', std: 0.25 },
      },
      training: { steps: 5, batchSize: 64, optimizer: { kind: 'sgd', lr: 1e-6 } },
      diagnostics: { every: 1 },
    },
  },
  {
    name: 'rnn-adding',
    title: 'Plain tanh RNN on the adding problem (length 50)',
    claim:
      'Bengio et al. (1994): a plain RNN multiplies the gradient by the recurrent Jacobian at every step, so it fades over long time lags. Expect the gradient at early time steps far below the last, and the final MSE near the predict-the-mean baseline (1/6): trained as lstm-adding is, it does not learn the task.',
    spec: {
      ...adding50,
      name: 'rnn-adding',
      model: {
        kind: 'rnn',
        hiddenSize: 32,
        activation: 'tanh',
        init: 'xavier-uniform',
        recurrentInit: { kind: 'normal', std: 0.05 },
      },
    },
  },
  {
    name: 'lstm-adding',
    title: 'LSTM on the adding problem (length 50)',
    claim:
      "Hochreiter & Schmidhuber (1997): the LSTM's additive cell state carries the gradient across time; with forget bias 1 it reaches early steps far better than the plain RNN of rnn-adding. Expect the final MSE below a tenth of the predict-the-mean baseline (1/6), where rnn-adding stays near it.",
    spec: {
      ...adding50,
      name: 'lstm-adding',
      model: {
        kind: 'lstm',
        hiddenSize: 32,
        init: 'xavier-uniform',
        recurrentInit: 'orthogonal',
        forgetBias: 1,
      },
    },
  },
  {
    name: 'tiny',
    title: 'A 4-layer tanh MLP on a teacher task: seconds on any backend',
    claim:
      'A shallow tanh network with Xavier initialisation trains with healthy gradients: a smoke test for a backend or an install.',
    spec: {
      gradlab: 1,
      name: 'tiny',
      seed: 0,
      data: { kind: 'teacher', task: 'regression', inputSize: 8, outputSize: 2, samples: 256 },
      model: { kind: 'mlp', depth: 4, width: 16, activation: 'tanh', init: 'xavier-uniform' },
      training: { steps: 20, batchSize: 32, optimizer: { kind: 'sgd', lr: 0.05 } },
      diagnostics: { every: 5 },
    },
  },
];
