/** Node-only parts of @gradlab/core: run records on disk. */
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
