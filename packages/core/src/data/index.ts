import type { DataSpec } from '../spec/schema.js';
import type { Dataset } from './dataset.js';
import { mnistData } from './mnist.js';
import { addingData, spiralsData, teacherData } from './synthetic.js';

export type { Dataset } from './dataset.js';
export { featureSize, targetSize } from './dataset.js';
export { addingData, mnistData, spiralsData, teacherData };

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
