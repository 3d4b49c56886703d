import type * as tf from '@tensorflow/tfjs-core';
import type { ScheduleSpec } from '../spec/schema.js';

/**
 * The learning rate at `step` (counted from 1) of a run of `totalSteps`, for base rate `lr`.
 * See ScheduleSpec for the formulas. Pure arithmetic: usable with any optimiser.
 */
export function learningRateAt(
  schedule: ScheduleSpec,
  lr: number,
  step: number,
  totalSteps: number,
): number {
  const w = schedule.warmupSteps;
  const t0 = step - 1;
  if (t0 < w) return (lr * (t0 + 1)) / w;
  const t = t0 - w;
  switch (schedule.kind) {
    case 'constant':
      return lr;
    case 'step':
      return lr * schedule.factor ** Math.floor(t / schedule.every);
    case 'exponential':
      return lr * schedule.rate ** (t / schedule.every);
    case 'cosine': {
      const period = Math.max(1, (schedule.period ?? totalSteps) - w);
      return (
        schedule.minLr +
        ((lr - schedule.minLr) * (1 + Math.cos((Math.PI * Math.min(t, period)) / period))) / 2
      );
    }
  }
}

/**
 * Sets the learning rate of any tfjs optimiser for its next update. tfjs optimisers read their
 * rate at every applyGradients; SGD and momentum cache it as a tensor that setLearningRate
 * renews, the others read the `learningRate` field.
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as {
    setLearningRate?: (lr: number) => void;
    learningRate: number;
  };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}
