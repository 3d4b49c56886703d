/** The settings of the study, in their own module: the study, its checks and its report all read them. */
export interface PascanuClippingSettings {
  /** One pair of runs, without and with clipping, per seed. */
  readonly seeds: readonly number[];
  /** Sequence length of the adding problem the tanh RNN trains on. */
  readonly length: number;
  readonly hiddenSize: number;
  readonly steps: number;
  readonly batchSize: number;
  /** Plain SGD learning rate, the same in both arms. */
  readonly lr: number;
  /** Gain of the orthogonal recurrent kernel: above 1 the RNN starts in the exploding regime. */
  readonly recurrentGain: number;
  /** Global-norm threshold of the clipped arm. */
  readonly maxNorm: number;
  /** Whether the clipped arm clips (false only to show that its checks then fail). */
  readonly clipping: boolean;
  /** Sequence length T of the linear RNN whose gradient through time is compared with rho^(T-k). */
  readonly linearLength: number;
  readonly linearHiddenSize: number;
  /** Spectral radii of the linear RNN's recurrent kernel: below and above 1. */
  readonly rhos: readonly number[];
  /** The linear RNN's recurrent kernel: rho x orthogonal, or Gaussian with spectral radius ~rho. */
  readonly linearRecurrent: 'orthogonal' | 'gaussian';
}
