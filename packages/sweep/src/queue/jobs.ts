import type { RunBundle } from '@gradlab/core';
import type { Cell } from '../expand.js';
import type { CellSummary } from '../summary.js';

/**
 * What travels through Redis. Cells are queued by backend, one BullMQ queue per backend name
 * ("cells-cpu", "cells-wasm", "cells-auto"...), all under the key prefix "gradlab": a worker
 * takes only the cells of the backends it serves, and a job's id is its cell's id, which is
 * the same for the same experiment in any sweep, so a cell is never queued twice.
 */
export const QUEUE_PREFIX = 'gradlab';

/** Bumped when a job's data or result changes shape; a worker refuses other versions. */
export const JOB_VERSION = 1;

/** The queue of a backend's cells. */
export function cellQueueName(backend: string): string {
  // BullMQ forbids ":" in queue names; backend names are plain words anyway.
  return `cells-${backend.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** A queued cell. */
export interface CellJobData {
  readonly v: typeof JOB_VERSION;
  readonly cell: Cell;
  /** Draw the cell's report.html where it runs, and send it back with the record. */
  readonly report: boolean;
}

/** A finished cell, as the worker returns it: the whole record, written by the sweep. */
export interface CellJobResult {
  readonly v: typeof JOB_VERSION;
  readonly bundle: RunBundle;
  readonly summary: CellSummary;
  readonly report: string | null;
  /** Why report.html could not be drawn, when it could not. */
  readonly reportError: string | null;
  /** The worker that ran it ("host:pid"). */
  readonly worker: string;
}
