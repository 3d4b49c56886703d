/** MNIST digits are 28 x 28 pixels: the fan-in of an MLP's first layer on them. */
export const MNIST_INPUT_SIZE = 784;

/**
 * What every study that trains MLPs on MNIST digits over seeds sets; its own settings extend
 * these with what its claim is about (depth, initialisers, activations, pre-training).
 */
export interface MnistTrainingSettings {
  /** Units of every hidden layer. */
  readonly width: number;
  readonly seeds: readonly number[];
  readonly steps: number;
  readonly batchSize: number;
  /** MNIST digits to draw batches from. */
  readonly samples: number;
}
