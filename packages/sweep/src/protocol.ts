import type { RunBundle } from '@gradlab/core';
import type { Cell } from './expand.js';

/** Messages between the sweep's process and a local worker process (over its IPC channel). */
export type ToWorker =
  | { readonly type: 'run'; readonly cell: Cell; readonly report: boolean }
  /** Before the first cell: activate these backends, and load the report drawing if asked. */
  | { readonly type: 'warm'; readonly backends: readonly string[]; readonly report: boolean };

export type FromWorker =
  /** Setup done (backends registered): send it cells. */
  | { readonly type: 'ready' }
  /** The cell ran (completely, or it failed in training): its record, and its report.html. */
  | {
      readonly type: 'result';
      readonly id: string;
      readonly bundle: RunBundle;
      readonly report: string | null;
      readonly reportError: string | null;
    }
  /** The cell could not run at all (its backend would not start): no record. */
  | { readonly type: 'error'; readonly id: string; readonly message: string };

/**
 * Test hook: cell ids (comma-separated) whose worker process kills itself with SIGKILL when
 * it receives them, as the kernel's out-of-memory killer would. Only the worker entry point
 * reads it; it lets tests crash a real worker at a known cell.
 */
export const CRASH_CELLS_ENV = 'GRADLAB_SWEEP_CRASH_CELLS';
