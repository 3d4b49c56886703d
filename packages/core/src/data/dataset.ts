/**
 * A data set lives on the host as flat Float32Arrays, generated from the seed, and is uploaded
 * once per run. Per-sample shapes: `[features]` for vectors, `[time, features]` for sequences.
 * Classification targets are one-hot.
 */
export interface Dataset {
  readonly name: string;
  readonly task: 'regression' | 'classification';
  readonly size: number;
  readonly x: Float32Array;
  readonly xShape: readonly number[];
  readonly y: Float32Array;
  readonly yShape: readonly number[];
}

export function featureSize(d: Dataset): number {
  return d.xShape[d.xShape.length - 1] as number;
}

export function targetSize(d: Dataset): number {
  return d.yShape[d.yShape.length - 1] as number;
}
