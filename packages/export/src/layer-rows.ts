import type { MetricsRow } from '@gradlab/core';

/** The columns of a CSV or JSONL export, in order: the step's, then the layer's. */
export const LAYER_COLUMNS = [
  'step',
  'full',
  'loss',
  'accuracy',
  'global_grad_norm',
  'step_verdict',
  'layer',
  'grad_norm',
  'bias_grad_norm',
  'weight_norm',
  'grad_to_weight',
  'update_ratio',
  'ratio_to_last',
  'activation_mean',
  'activation_std',
  'saturation',
  'dead_fraction',
  'non_finite',
  'verdict',
] as const;

export type LayerColumn = (typeof LAYER_COLUMNS)[number];
export type LayerRow = Record<LayerColumn, string | number | boolean | null>;

/**
 * One row per step per layer: the long format spreadsheets, pandas and SQL group by without
 * reshaping. A value the record holds as null stays null (empty in CSV).
 */
export function layerRows(metrics: readonly MetricsRow[]): LayerRow[] {
  return metrics.flatMap((m) =>
    m.layers.map((l) => ({
      step: m.step,
      full: m.full ?? null,
      loss: m.loss ?? null,
      accuracy: m.accuracy ?? null,
      global_grad_norm: m.globalGradNorm ?? null,
      step_verdict: m.verdict ?? null,
      layer: l.name,
      grad_norm: l.gradNorm ?? null,
      bias_grad_norm: l.biasGradNorm ?? null,
      weight_norm: l.weightNorm ?? null,
      grad_to_weight: l.gradToWeight ?? null,
      update_ratio: l.updateToWeight ?? null,
      ratio_to_last: l.ratioToLast ?? null,
      activation_mean: l.activationMean ?? null,
      activation_std: l.activationStd ?? null,
      saturation: l.saturation ?? null,
      dead_fraction: l.deadFraction ?? null,
      non_finite: l.nonFinite ?? null,
      verdict: l.verdict ?? null,
    })),
  );
}
