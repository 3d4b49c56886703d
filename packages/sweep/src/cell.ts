import {
  createMemoryRecorder,
  type RunBundle,
  type RunListener,
  runExperiment,
  toRunBundle,
  useBackend,
} from '@gradlab/core';
import { nodeEnvironment } from '@gradlab/core/node';
import type { Cell } from './expand.js';
import { type CellSummary, summarizeBundle } from './summary.js';

/** A cell that ran: its whole run record as one JSON value, and what a sweep keeps of it. */
export interface CellOutcome {
  readonly bundle: RunBundle;
  readonly summary: CellSummary;
}

export interface RunCellOptions {
  readonly signal?: AbortSignal;
  /** Extra listeners of the run (progress). */
  readonly listeners?: readonly RunListener[];
}

/**
 * Runs one cell in this process: activates its backend (registered beforehand by the caller),
 * trains, and returns the record in memory. It writes nothing: a local worker process sends
 * the outcome to the sweep's process, a remote worker through its queue, and the sweep's
 * store writes the run directory. A run that fails in training (a non-finite gradient with
 * errorIfNonFinite) still has a record, with status "failed" and its error; a backend that
 * cannot start has none, and throws.
 */
export async function runCell(cell: Cell, o: RunCellOptions = {}): Promise<CellOutcome> {
  const { info } = await useBackend(cell.backend);
  const recorder = createMemoryRecorder(cell.spec, info, nodeEnvironment());
  try {
    await runExperiment(cell.spec, {
      listeners: [recorder.listener, ...(o.listeners ?? [])],
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } catch (e) {
    if (!recorder.finished()) throw e;
  }
  const record = recorder.finished();
  if (!record) throw new Error(`cell ${cell.id}: the run ended without its finished event`);
  const bundle = toRunBundle(record);
  return { bundle, summary: summarizeBundle(bundle) };
}
