import type { MetricsRow } from '@gradlab/core';

export interface Scalar {
  readonly tag: string;
  readonly value: number;
}

/**
 * The TensorBoard scalars of one metrics row, tagged so that TensorBoard groups them by the
 * part before the slash: one chart per layer quantity (grad_norm/dense1, grad_norm/dense2...).
 * A value the record holds as null (not measured on that step, or NaN/Infinity, which JSON
 * cannot hold) is left out rather than invented.
 */
export function stepScalars(row: MetricsRow): Scalar[] {
  const out: Scalar[] = [];
  const add = (tag: string, value: number | null | undefined) => {
    if (typeof value === 'number') out.push({ tag, value });
  };
  add('loss', row.loss);
  add('accuracy', row.accuracy);
  add('global_grad_norm', row.globalGradNorm);
  for (const l of row.layers) {
    add(`grad_norm/${l.name}`, l.gradNorm);
    add(`bias_grad_norm/${l.name}`, l.biasGradNorm);
    add(`weight_norm/${l.name}`, l.weightNorm);
    add(`grad_to_weight/${l.name}`, l.gradToWeight);
    add(`update_ratio/${l.name}`, l.updateToWeight);
    add(`ratio_to_last/${l.name}`, l.ratioToLast);
    add(`activation_std/${l.name}`, l.activationStd);
    add(`saturation/${l.name}`, l.saturation);
    add(`dead_fraction/${l.name}`, l.deadFraction);
  }
  if (row.signal) {
    add('signal/ratio_first_to_last', row.signal.ratioFirstToLast);
    const { labels, norms } = row.signal;
    for (const [i, label] of labels.entries()) add(`signal_norm/${label}`, norms[i]);
  }
  for (const [key, value] of Object.entries(row.telemetry ?? {})) add(`telemetry/${key}`, value);
  return out;
}
