import type { DataSpec } from '../spec/schema.js';

/** MNIST digits as the data module flattens them: 28 x 28 pixels, 10 classes. */
const MNIST_PIXELS = 784;
const MNIST_CLASSES = 10;
/** Features per time step of the adding problem: the value and its marker. */
const ADDING_FEATURES = 2;

/**
 * Per-sample shapes of the data a spec describes, read off the spec alone (the generators in
 * data/ agree: see budget tests), so that a budget can be checked before any data is made.
 */
export function dataShapes(data: DataSpec): {
  readonly samples: number;
  readonly xShape: readonly number[];
  readonly yShape: readonly number[];
} {
  switch (data.kind) {
    case 'teacher':
      return { samples: data.samples, xShape: [data.inputSize], yShape: [data.outputSize] };
    case 'spirals':
      return { samples: data.samples, xShape: [2], yShape: [data.classes] };
    case 'adding':
      return { samples: data.samples, xShape: [data.length, ADDING_FEATURES], yShape: [1] };
    case 'mnist':
      return { samples: data.samples, xShape: [MNIST_PIXELS], yShape: [MNIST_CLASSES] };
  }
}
