/** Shared helpers of @gradlab/sweep's tests (excluded from the build: see tsconfig.build.json). */
import { cpuBackend } from '@gradlab/backend-cpu';
import { wasmBackend } from '@gradlab/backend-wasm';
import { type ExperimentSpecInput, GradlabError, registerBackend } from '@gradlab/core';
import { listPresets } from '@gradlab/experiments';
import { expect } from 'vitest';
import { type Cell, expandSweep } from './expand.js';
import { parseSweep, type SweepSpecInput } from './schema.js';

export const presets: Record<string, ExperimentSpecInput> = Object.fromEntries(
  listPresets().map((p) => [p.name, p.spec]),
);

/** The example of the issue: 2 depths x 2 initialisers x 2 mitigations x 2 seeds = 16 cells. */
export const depthByInit: SweepSpecInput = {
  gradlab: 1,
  name: 'depth-x-init',
  base: 'tiny',
  grid: { 'model.depth': [4, 8], 'model.init': ['xavier-normal', 'he-normal'] },
  mitigations: ['none', 'batchnorm'],
  seeds: [0, 1],
  backends: ['wasm'],
};

/** A few quick cells: `tiny` for 3 steps, two depths, on `backend`. */
export function quickCells(backend = 'cpu', depths: number[] = [3, 4]): Cell[] {
  return expandSweep(
    parseSweep({
      gradlab: 1,
      name: 'quick',
      base: 'tiny',
      grid: { 'model.depth': depths, 'training.steps': [3] },
      backends: [backend],
    }),
    { presets },
  );
}

export function registerTestBackends(): void {
  registerBackend(cpuBackend);
  registerBackend(wasmBackend);
}

/** The error `fn` throws, which must be a GradlabError; its message. */
export function errorOf(fn: () => unknown): GradlabError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GradlabError);
    return e as GradlabError;
  }
  throw new Error('expected an error, got none');
}
