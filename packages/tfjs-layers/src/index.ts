/**
 * @gradlab/tfjs-layers: gradlab inside `model.fit`. A package of its own (not a subpath of
 * core) because it is the one part of gradlab that depends on tfjs-layers' training loop and
 * callback classes: a tfjs user installs it beside tfjs and nothing else of gradlab's CLI,
 * and core stays free of fit's internals.
 */
export { captureFirstBatch, type ProbeBatch } from './first-batch-probe.js';
export {
  GradlabCallback,
  type GradlabCallbackOptions,
  type GradlabVerdictEvent,
  gradlabCallback,
} from './gradlab-callback.js';
export type { StopOn } from './stop-rule.js';
