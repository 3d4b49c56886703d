/**
 * @gradlab/core: backend-agnostic. Runs in Node and in the browser; the file-system parts (run
 * records) live in "@gradlab/core/node".
 *
 * Importing it registers tfjs's gradient functions: tfjs-core alone registers none, and every
 * gradlab feature needs them. tfjs-layers is the one package that registers them both in Node
 * (its CommonJS bundle, which shares tfjs-core's CommonJS instance) and in bundlers (its ESM
 * build imports tfjs-core/dist/register_all_gradients). Importing that ESM file directly from
 * Node would load a second, ESM copy of tfjs-core whose tensors the first cannot use.
 */
import '@tensorflow/tfjs-layers';

export { CORE_VERSION } from './version.js';
export { GradlabError, isGradlabError, type GradlabErrorCode } from './errors.js';
export { createRng, permutation, type Rng } from './random.js';

export * from './spec/schema.js';
export { describeIssues, parseSpec, parseSpecJson, defineSpec } from './spec/validate.js';
export { experimentJsonSchema } from './spec/json-schema.js';

export * from './data/index.js';
export * from './model/index.js';

export * from './diagnostics/types.js';
export { judgeNorm, DEFAULT_THRESHOLDS } from './diagnostics/verdict.js';

export { runExperiment, type RunOptions } from './train/run.js';
export type { RunEvent, RunListener, RunResult, RunStartInfo, RunStatus } from './train/events.js';
export { trainStep, type StepContext, type StepMode } from './train/step.js';
export { createOptimizer } from './train/optimizer.js';
export { computeLoss, type LossKind } from './train/loss.js';
export type { GradientTransform } from './train/transform.js';
export { batchSampler } from './train/batches.js';

export * from './backends/adapter.js';
export * from './backends/registry.js';
export { defineTfjsAdapter, type TfjsAdapterOptions } from './backends/tfjs-adapter.js';

export {
  createGradientMonitor,
  layersOfModel,
  type GradientMonitor,
  type LayersModelLike,
  type MonitoredLayer,
  type MonitorStepOptions,
} from './monitor/monitor.js';
