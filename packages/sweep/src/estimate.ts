import type { DataSpec, ExperimentSpec } from '@gradlab/core';
import type { Cell } from './expand.js';

/**
 * A rough time for a sweep, printed before it starts so that a user can stop a sweep that
 * would take all night. Per step: a fixed cost per layer (tfjs's per-kernel bookkeeping, which
 * dominates small networks) plus the FLOPs at the backend's rate, measured on a 2-core x86-64
 * machine (README's performance table: the reference workload, 1.06 GFLOP a step, in 61 ms on
 * wasm, 15 ms on blas; tiny in ~3 ms a step on wasm). Good to a factor of two, not better.
 */
const BACKEND_COST: Readonly<Record<string, { gflops: number; msPerLayer: number }>> = {
  cpu: { gflops: 0.5, msPerLayer: 0.8 },
  wasm: { gflops: 15, msPerLayer: 0.6 },
  blas: { gflops: 60, msPerLayer: 0.3 },
  webgpu: { gflops: 2, msPerLayer: 10 },
  cuda: { gflops: 200, msPerLayer: 1 },
  'tfjs-node': { gflops: 30, msPerLayer: 0.3 },
};
/** "auto" and backends not listed: as wasm, the usual choice on a CPU. */
const DEFAULT_COST = { gflops: 15, msPerLayer: 0.6 };
/** Per cell beyond its steps: setup, the first step's kernel compilation, evaluation, report. */
const CELL_OVERHEAD_S = 0.45;
/** Per worker: Node, tfjs and the backend starting, the report's charting library loading. */
const WORKER_START_S = 1.5;

function dataShape(data: DataSpec): { input: number; output: number; length: number } {
  switch (data.kind) {
    case 'teacher':
      return { input: data.inputSize, output: data.outputSize, length: 1 };
    case 'spirals':
      return { input: 2, output: data.classes, length: 1 };
    case 'mnist':
      return { input: 784, output: 10, length: 1 };
    case 'adding':
      return { input: 2, output: 1, length: data.length };
  }
}

/** Seconds one step of this spec takes on this backend, roughly. */
export function stepSeconds(spec: ExperimentSpec, backend: string): number {
  const cost = BACKEND_COST[backend] ?? DEFAULT_COST;
  const { input, output, length } = dataShape(spec.data);
  const batch = spec.training.batchSize;
  let macs: number;
  let layers: number;
  if (spec.model.kind === 'mlp') {
    const { depth, width, norm } = spec.model;
    const hidden = Array.isArray(width) ? width : Array.from({ length: depth - 1 }, () => width);
    const dims = [input, ...hidden, output];
    macs = dims.slice(1).reduce((n, d, i) => n + d * (dims[i] as number), 0);
    layers = depth * (norm === 'none' ? 1 : 2);
  } else {
    const gates = { rnn: 1, gru: 3, lstm: 4 }[spec.model.kind];
    const h = spec.model.hiddenSize;
    macs = length * gates * (input + h) * h + h * output;
    layers = length * 3;
  }
  // Forward and backward: about 6 FLOPs per multiply-accumulate per example.
  const flops = 6 * batch * macs;
  const full = 1 + 0.5 / spec.diagnostics.every; // full-diagnostic steps cost ~1.5x
  return ((layers * cost.msPerLayer) / 1000 + flops / (cost.gflops * 1e9)) * full;
}

/** Seconds one cell takes in a warm worker, roughly. */
export function cellSeconds(cell: Cell): number {
  const s = cell.spec;
  const pretrain = s.training.pretraining;
  const pretrainSteps =
    pretrain && s.model.kind === 'mlp' ? pretrain.stepsPerLayer * (s.model.depth - 1) * 0.5 : 0;
  return CELL_OVERHEAD_S + (s.training.steps + pretrainSteps) * stepSeconds(s, cell.backend);
}

/**
 * Seconds to run these cells with `workers` processes on `cores` cores: the workers' start,
 * then the cells' time shared among the workers that actually get a core.
 */
export function estimateSweepSeconds(
  cells: readonly Cell[],
  workers: number,
  cores: number,
): number {
  if (cells.length === 0) return 0;
  const parallel = Math.max(1, Math.min(workers, cores, cells.length));
  const total = cells.reduce((t, c) => t + cellSeconds(c), 0);
  return WORKER_START_S + total / parallel;
}

/** "40 s", "12 min", "3.5 h": how long, at the precision an estimate deserves. */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
