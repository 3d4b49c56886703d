import { parseSpec, registerBackend, runExperiment, useBackend } from '@gradlab/core';
import { cpuBackend } from '@gradlab/backend-cpu';
import { wasmBackend } from './index.js';
import { test, expect } from 'vitest';

test('smoke', async () => {
  registerBackend(cpuBackend);
  registerBackend(wasmBackend);
  const spec = parseSpec({ gradlab: 1, seed: 1, data: { kind: 'teacher', samples: 256 }, model: { kind: 'mlp', depth: 5, width: 16, activation: 'tanh' }, training: { steps: 5, batchSize: 32 } });
  for (const b of ['cpu', 'wasm']) {
    const sel = await useBackend(b);
    const r = await runExperiment(spec);
    console.log(b, sel.info.device, JSON.stringify(r.final?.layers.map(l => [l.name, l.gradNorm, l.verdict, l.saturation, l.activationStd])), r.verdict, r.timings);
  }
  const r = await runExperiment(parseSpec({ gradlab: 1, data: { kind: 'adding', length: 10, samples: 64 }, model: { kind: 'lstm', hiddenSize: 8 }, training: { steps: 3, batchSize: 16 } }));
  console.log(JSON.stringify(r.final?.signal), r.verdict);
  expect(r.status).toBe('complete');
});
