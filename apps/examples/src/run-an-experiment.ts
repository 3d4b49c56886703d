/**
 * Run a gradlab experiment from TypeScript: a spec, a backend, a listener for live steps, and
 * the result with its per-layer diagnostics. Run: pnpm --filter @gradlab/examples experiment
 */
import { wasmBackend } from '@gradlab/backend-wasm';
import { formatNumber, parseSpec, registerBackend, runExperiment, useBackend } from '@gradlab/core';

registerBackend(wasmBackend);
const { info } = await useBackend('auto');

const spec = parseSpec({
  gradlab: 1,
  name: 'deep-tanh',
  data: { kind: 'spirals', classes: 3, samples: 600 },
  // Each layer scales the backward signal by about std * sqrt(width) = 0.28: it vanishes.
  model: {
    kind: 'mlp',
    depth: 16,
    width: 32,
    activation: 'tanh',
    init: { kind: 'normal', std: 0.05 },
  },
  training: { steps: 40, batchSize: 32, optimizer: { kind: 'adam', lr: 0.003 } },
});

const result = await runExperiment(spec, {
  listeners: [
    (e) => {
      if (e.type === 'verdict') console.log(`step ${e.step}: ${e.layer} ${e.from} -> ${e.to}`);
    },
  ],
});

console.log(
  `\n${spec.name} on ${info.device}: ${result.verdict}, loss ${result.loss.first?.toFixed(3)} -> ${result.loss.last?.toFixed(3)}`,
);
for (const l of result.final?.layers ?? []) {
  console.log(
    `${l.name.padEnd(8)} ${formatNumber(l.gradNorm, { notation: 'scientific' }).padStart(10)}  ${l.verdict}`,
  );
}
