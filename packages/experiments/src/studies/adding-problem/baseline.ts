import { ADDING_MEAN_BASELINE_MSE } from '@gradlab/core';

/**
 * The adding problem's target is the sum of two independent U[0, 1) values (gradlab's generator,
 * packages/core/src/data/synthetic.ts): mean 1, variance 2 x 1/12 = 1/6. A model that ignores
 * its input can do no better than predict the mean, so its MSE is 1/6 ~ 0.167: the bar a
 * recurrent net must clear to show it carried information across time. One value with the
 * generator's, which every run records beside its evaluation.
 */
export const ADDING_MEAN_BASELINE = ADDING_MEAN_BASELINE_MSE;

/**
 * MSE of the best constant prediction fitted on all targets (their mean), measured on the first
 * `count` of them: the examples the training loop evaluates the trained network on.
 */
export function predictTheMeanMse(targets: ArrayLike<number>, count: number): number {
  const n = Math.min(count, targets.length);
  if (n === 0) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < targets.length; i++) mean += targets[i] as number;
  mean /= targets.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += ((targets[i] as number) - mean) ** 2;
  return sum / n;
}
