/**
 * Helpers of the playground's unit tests, which run on the tfjs CPU backend in Node; useCpu and
 * TEST_CPU_BACKEND (the backend their records name) come from @gradlab/testkit/helpers.
 */
import '@tensorflow/tfjs-backend-cpu';
import { type ExperimentSpec, parseSpec } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';

/** Live tensors now: a test that runs tfjs checks it ends with as many as it began with. */
export const liveTensors = (): number => tf.memory().numTensors;

export const testEnvironment = {
  gradlabCore: 'test',
  node: 'none (browser)',
  platform: 'browser',
  arch: 'test',
  cpu: 'test',
  cpus: 1,
};

/** A small MLP that runs in milliseconds per step on the CPU backend. */
export function smallSpec(steps = 6): ExperimentSpec {
  return parseSpec({
    gradlab: 1,
    name: 'small',
    seed: 3,
    data: { kind: 'teacher', inputSize: 4, outputSize: 2, samples: 64 },
    model: { kind: 'mlp', depth: 3, width: 8, activation: 'tanh', init: 'xavier-uniform' },
    training: { steps, batchSize: 8 },
    diagnostics: { every: 2 },
  });
}
