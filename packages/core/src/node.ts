/** Node-only parts of @gradlab/core: run records on disk, the machine's memory limit. */
export {
  DEFAULT_MEMORY_SHARE,
  MAX_MEMORY_ENV,
  memoryLimit,
} from './budget/machine-limit.js';
export { syncGeneratedDocs } from './docs/generated-docs.js';
export { writeFileAtomic } from './record/atomic.js';
export { listPartialRuns, type PartialRun, UNOWNED_GRACE_MS } from './record/partials.js';
export { readRunRecord } from './record/reader.js';
export {
  finishPartialRun,
  planRecovery,
  RECOVERY_MISSING,
  type Recovery,
} from './record/recover.js';
export { isStagingName } from './record/staging.js';
export { STAGING_OWNER } from './record/staging-owner.js';
// Re-exported from the browser-safe entry, where they live, for code that imported them here.
export type { RunManifest, RunRecord } from './record/types.js';
export { type WriteRunBundleOptions, writeRunBundle } from './record/write-bundle.js';
export { describeWriteError } from './record/write-failure.js';
export { createRunRecorder, nodeEnvironment, type RunRecorder } from './record/writer.js';
