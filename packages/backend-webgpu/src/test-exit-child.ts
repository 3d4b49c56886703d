/**
 * The clean-exit test's child process: activates WebGPU, trains a tiny network, releases, and
 * then does nothing: the process must end by itself (no Dawn instance, device or timer may keep
 * Node's event loop alive). It prints one JSON line when it has released.
 */
import { parseSpec, registerBackend, runExperiment, useBackend } from '@gradlab/core';
import { webgpuBackend } from './index.js';

registerBackend(webgpuBackend);
const { info } = await useBackend('webgpu');
const result = await runExperiment(
  parseSpec({
    gradlab: 1,
    seed: 7,
    data: { kind: 'teacher', inputSize: 6, outputSize: 2, samples: 64 },
    model: { kind: 'mlp', depth: 3, width: 8, activation: 'tanh' },
    training: { steps: 4, batchSize: 8, optimizer: { kind: 'sgd', lr: 0.05 } },
    diagnostics: { every: 2 },
  }),
);
await webgpuBackend.release();
process.stdout.write(
  `${JSON.stringify({ device: info.device, status: result.status, steps: result.stepsCompleted, loss: result.loss.last })}\n`,
);
