/**
 * @gradlab/sweep: grids of gradlab experiments. A sweep file (schema.ts) expands into cells,
 * each an experiment with a stable id (expand.ts); a cell runs in any process that registered
 * its backend (cell.ts) and comes back as a run bundle; the sweep directory (store.ts) writes
 * each record and keeps sweep.json, resumable; local.ts runs the cells in worker processes.
 */
export { checkBackends } from './backends.js';
export { fastSweepNames, findSweep, type NamedSweep, sweeps } from './catalogue.js';
export { type CellOutcome, type RunCellOptions, runCell } from './cell.js';
export {
  cellSeconds,
  estimateSweepSeconds,
  formatDuration,
  stepSeconds,
} from './estimate.js';
export { type Cell, type ExpandOptions, expandSweep, type SweepAxis, sweepAxes } from './expand.js';
export { canonicalJson, cellId } from './ids.js';
export {
  defaultWorkers,
  type LocalOptions,
  type LocalResult,
  runLocal,
  type SweepEvent,
} from './local.js';
export { lockSweepDir, SWEEP_LOCK, type SweepLock } from './lock.js';
export { CRASH_CELLS_ENV } from './protocol.js';
export { renderCellReport } from './report.js';
export {
  invalidSweep,
  parseSweep,
  parseSweepJson,
  SWEEP_VERSION,
  SweepSpec,
  type SweepSpecInput,
  sweepJsonSchema,
} from './schema.js';
export {
  CELLS_DIR,
  cellRunPath,
  type OpenOptions,
  openSweepStore,
  readSweep,
  SWEEP_FILE,
  type SweepStore,
} from './store.js';
export { groupStores } from './store-group.js';
export {
  type CellSummary,
  type LayerSummary,
  summarizeBundle,
  summarizeRun,
} from './summary.js';
export { CellStatus, SWEEP_FILE_KIND, SweepEntry, SweepFile } from './sweep-file.js';
export {
  WorkerPool,
  type WorkerPoolOptions,
  type WorkerSettings,
  workerSettings,
} from './worker-pool.js';
