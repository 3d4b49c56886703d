/** The weight of the loss chart's smoothing when the caller names none, TensorBoard's default. */
export const DEFAULT_SMOOTHING = 0.6;

/**
 * An exponential moving average of a series, as TensorBoard smooths its scalars: each value is
 * weight x the running average + (1 - weight) x the new value, divided by 1 - weight^n so that
 * the first points are not pulled towards 0 (the average starts empty, not at 0). A weight of 0
 * returns the series as it is; a non-finite value is passed through and does not enter the
 * average, so one NaN does not blank the rest of the curve.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) {
    throw new RangeError(`a smoothing weight is in [0, 1), not ${weight}`);
  }
  let average = 0;
  let count = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    average = average * weight + (1 - weight) * v;
    count += 1;
    return average / (1 - weight ** count);
  });
}
