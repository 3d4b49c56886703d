/** Node-only parts of @gradlab/core: run records on disk, the machine's memory limit. */
export {
  DEFAULT_MEMORY_SHARE,
  MAX_MEMORY_ENV,
  memoryLimit,
} from './budget/machine-limit.js';
export { writeFileAtomic } from './record/atomic.js';
export { syncGeneratedDocs } from './record/generated-docs.js';
export { type RunRecord, readRunRecord } from './record/reader.js';
export { isStagingName } from './record/staging.js';
export { type WriteRunBundleOptions, writeRunBundle } from './record/write-bundle.js';
export {
  createRunRecorder,
  nodeEnvironment,
  type RunManifest,
  type RunRecorder,
} from './record/writer.js';
