/** A small finished run record on disk, for the export tests (excluded from the build). */
import '@tensorflow/tfjs-backend-cpu';
import { type BackendInfo, parseSpec, runExperiment } from '@gradlab/core';
import { createRunRecorder } from '@gradlab/core/node';
import * as tf from '@tensorflow/tfjs-core';

const backend: BackendInfo = {
  name: 'cpu',
  tfjsBackend: 'cpu',
  device: 'CPU (test)',
  floatPrecision: 32,
  epsilon: 2 ** -23,
  capabilities: { syncReadback: true, multithreaded: false },
  versions: {},
};

/** Trains a 3-layer MLP for `steps` steps (full diagnostics every 2) and records it in `dir`. */
export async function writeTestRecord(dir: string, steps = 5): Promise<void> {
  await tf.setBackend('cpu');
  const spec = parseSpec({
    gradlab: 1,
    seed: 3,
    data: { kind: 'teacher', task: 'classification', inputSize: 4, outputSize: 3, samples: 32 },
    model: { kind: 'mlp', depth: 3, width: 6, activation: 'tanh', init: 'xavier-uniform' },
    training: { steps, batchSize: 8 },
    diagnostics: { every: 2 },
  });
  const recorder = await createRunRecorder(dir, spec, backend);
  await runExperiment(spec, { listeners: [recorder.listener] });
}
