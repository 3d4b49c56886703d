/** Core's tensor-level primitives, on arrays of tensors. */
export {
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  clipTransform,
  globalNorm,
  learningRateAt,
  setLearningRate,
} from '@gradlab/core';
export {
  type ClipCheckedOptions,
  clipGradsByGlobalNorm,
  clipGradsByGlobalNormChecked,
  clipGradsByNorm,
  clipGradsByValue,
  type SameNames,
} from './clip.js';
export { clipWeights, weightPenalty } from './regularize.js';
export {
  createLrScheduler,
  type LrScheduler,
  type LrSchedulerOptions,
  parseSchedule,
  type ScheduleInput,
} from './schedule.js';
