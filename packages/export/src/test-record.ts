/** A small finished run record on disk, for the export tests (excluded from the build). */
import '@tensorflow/tfjs-backend-cpu';
import { parseSpec, runExperiment } from '@gradlab/core';
import { createRunRecorder } from '@gradlab/core/node';
import { TEST_CPU_BACKEND, useCpu } from '@gradlab/testkit/helpers';

/** Trains a 3-layer MLP for `steps` steps (full diagnostics every 2) and records it in `dir`. */
export async function writeTestRecord(dir: string, steps = 5): Promise<void> {
  await useCpu();
  const spec = parseSpec({
    gradlab: 1,
    seed: 3,
    data: { kind: 'teacher', task: 'classification', inputSize: 4, outputSize: 3, samples: 32 },
    model: { kind: 'mlp', depth: 3, width: 6, activation: 'tanh', init: 'xavier-uniform' },
    training: { steps, batchSize: 8 },
    diagnostics: { every: 2 },
  });
  const recorder = await createRunRecorder(dir, spec, TEST_CPU_BACKEND);
  await runExperiment(spec, { listeners: [recorder.listener] });
}
