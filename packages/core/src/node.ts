/** Node-only parts of @gradlab/core: run records on disk. */
export { writeFileAtomic } from './record/atomic.js';
export { createRunRecorder, type RunManifest, type RunRecorder } from './record/writer.js';
export { readRunRecord, type RunRecord } from './record/reader.js';
