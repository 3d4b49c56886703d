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

export * from './backends/adapter.js';
export * from './backends/agreement.js';
export * from './backends/fused-kernels.js';
export * from './backends/kernel-preferences.js';
export * from './backends/registry.js';
export { defineTfjsAdapter, type TfjsAdapterOptions } from './backends/tfjs-adapter.js';
export {
  forgetTfjsBackend,
  reregisterTfjsBackend,
  type TfjsBackendFactory,
  type TfjsEngineInternals,
  tfjsBackendFactory,
  tfjsEngineInternals,
} from './backends/tfjs-engine.js';
export { formatBytes, parseByteSize } from './budget/bytes.js';
export {
  assertWithinBudget,
  budgetProblem,
  describeBudget,
  type MemoryLimit,
} from './budget/check.js';
export {
  type BudgetEstimate,
  estimateBudget,
  NOMINAL_FLOPS_PER_SECOND,
} from './budget/estimate.js';
export * from './data/index.js';
export {
  decisiveEvidence,
  evidenceSummary,
  explainVerdict,
  judgeStep,
  verdictPoints,
} from './diagnostics/evidence.js';
export { globalL2Norm, l2Norm, normOfNorms, rootMeanSquare } from './diagnostics/norm.js';
export {
  FLOAT32_MIN_NORMAL,
  type NormKind,
  normKind,
  normMarker,
} from './diagnostics/norm-kind.js';
export { scaledNorm } from './diagnostics/scaled-norm.js';
export * from './diagnostics/types.js';
export { DEFAULT_THRESHOLDS, judgeNorm } from './diagnostics/verdict.js';
export { GradlabError, type GradlabErrorCode, isGradlabError } from './errors.js';
export {
  formatNumber,
  formatPercent,
  type NumberFormatOptions,
  type NumberNotation,
  type PercentFormatOptions,
} from './format/number.js';
export {
  CLIP_TELEMETRY,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  clipTelemetryOf,
  clipTransform,
  globalNorm,
} from './mitigate/clip.js';
export { clipWeights, weightPenalty } from './mitigate/regularize.js';
export { learningRateAt, setLearningRate } from './mitigate/schedule.js';
export type { GradientTransform } from './mitigate/transform.js';
export * from './model/index.js';
export {
  createGradientMonitor,
  type GradientMonitor,
  type LayersModelLike,
  layersOfModel,
  type MonitoredLayer,
  type MonitorStepOptions,
} from './monitor/monitor.js';
export { createRng, permutation, type Rng } from './random.js';
export {
  parseRunBundle,
  RUN_BUNDLE_EXTENSION,
  RUN_BUNDLE_KIND,
  type RunBundle,
  toRunBundle,
} from './record/bundle.js';
export {
  type BackendComparison,
  COMPARISON_FORMAT_VERSION,
  type MitigationComparison,
  parseComparisonJson,
} from './record/comparison-schema.js';
export { createMemoryRecorder, type MemoryRecorder } from './record/memory.js';
export { type MetricsRow, metricsRow, type PretrainRow, pretrainRow } from './record/rows.js';
export type { RunManifest, RunRecord } from './record/types.js';
export { experimentJsonSchema } from './spec/json-schema.js';
export { parseJsonText } from './spec/json-text.js';
export { assertNotTooDeep, MAX_NESTING, pathTooDeep } from './spec/nesting.js';
export * from './spec/schema.js';
export { strictFields, suggestField } from './spec/unknown-fields.js';
export { defineSpec, describeIssues, parseSpec, parseSpecJson } from './spec/validate.js';
export { batchSampler } from './train/batches.js';
export type { RunEvent, RunListener, RunResult, RunStartInfo, RunStatus } from './train/events.js';
export { computeLoss, type LossKind } from './train/loss.js';
export { createOptimizer } from './train/optimizer.js';
export type { PretrainedLayer } from './train/pretrain.js';
export { medianStepMs, problemTracker, type VerdictChange } from './train/problem-tracker.js';
export { type RunOptions, runExperiment } from './train/run.js';
export { type StepContext, type StepMode, trainStep } from './train/step.js';
export { CORE_VERSION } from './version.js';
