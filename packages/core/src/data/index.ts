import type { DataSpec } from '../spec/schema.js';
import type { Dataset } from './dataset.js';
import { mnistData } from './mnist.js';
import { ADDING_MEAN_BASELINE_MSE, addingData, spiralsData, teacherData } from './synthetic.js';

export type { Dataset } from './dataset.js';
export { featureSize, targetSize } from './dataset.js';
export { ADDING_MEAN_BASELINE_MSE, addingData, mnistData, spiralsData, teacherData };

/** Builds the host-side data set a spec describes, from the spec's seed. */
export async function loadDataset(data: DataSpec, seed: number): Promise<Dataset> {
  switch (data.kind) {
    case 'teacher':
      return teacherData(seed, data);
    case 'spirals':
      return spiralsData(seed, data);
    case 'adding':
      return addingData(seed, data);
    case 'mnist':
      return mnistData(seed, data);
  }
}

/**
 * The MSE of predicting the mean target, known in closed form from the generator: the bar a
 * regression model must clear to show it used its input. Null where the generator has no closed
 * form (a random teacher's outputs) or the task is classification.
 */
export function meanPredictorMse(data: DataSpec): number | null {
  return data.kind === 'adding' ? ADDING_MEAN_BASELINE_MSE : null;
}
