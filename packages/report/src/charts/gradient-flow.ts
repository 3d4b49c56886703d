import type { RunRecord } from '@gradlab/core/node';
import type { TopLevelSpec } from 'vega-lite';
import { lastLayer, layerNames, loggable, pickSteps } from '../data.js';

/**
 * Gradient flow: ||dL/dW|| of each layer, input layer to output layer, at the first, middle
 * and last logged steps (log scale). Two dashed rules mark the vanishing and exploding
 * thresholds of the last logged step, relative to its last layer as the verdicts judge them:
 * max(vanishingRatio x last, vanishingNorm) and min(explodingRatio x last, explodingNorm).
 * Norms of 0 or non-finite cannot sit on a log scale and are left out (the table shows them).
 */
export function gradientFlowSpec(record: RunRecord): TopLevelSpec {
  const layers = layerNames(record);
  const steps = pickSteps(record.metrics);
  const values = steps.flatMap((s) =>
    s.layers
      .filter((l) => loggable(l.gradNorm))
      .map((l) => ({ step: `step ${s.step}`, layer: l.name, gradNorm: l.gradNorm })),
  );
  const t = record.spec.diagnostics.thresholds;
  const last = steps[steps.length - 1];
  const ref = last ? lastLayer(last)?.gradNorm : undefined;
  const rules =
    last && loggable(ref)
      ? [
          {
            threshold: `vanishing (step ${last.step})`,
            value: Math.max(t.vanishingRatio * ref, t.vanishingNorm),
          },
          {
            threshold: `exploding (step ${last.step})`,
            value: Math.min(t.explodingRatio * ref, t.explodingNorm),
          },
        ]
      : [];
  const y = { type: 'quantitative', scale: { type: 'log' } } as const;
  const encoding = {
    x: { field: 'layer', type: 'ordinal', sort: layers, title: 'layer' },
    y: { ...y, field: 'gradNorm', title: 'gradient norm' },
    color: {
      field: 'step',
      type: 'nominal',
      sort: steps.map((s) => `step ${s.step}`),
      title: 'step',
    },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Gradient flow: ||dL/dW|| per layer',
      subtitle: 'input layer on the left; dashed: vanishing and exploding thresholds',
    },
    width: Math.max(320, Math.min(900, layers.length * 36)),
    height: 260,
    layer: [
      { name: 'flow_lines', data: { values }, mark: { type: 'line' }, encoding },
      {
        name: 'flow_points',
        data: { values },
        mark: { type: 'point', filled: true, size: 40 },
        encoding,
      },
      {
        name: 'thresholds',
        data: { values: rules },
        mark: { type: 'rule', strokeDash: [6, 4], color: '#b00020' },
        encoding: { y: { ...y, field: 'value' } },
      },
      {
        name: 'threshold_labels',
        data: { values: rules },
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#b00020', fontSize: 10 },
        encoding: {
          y: { ...y, field: 'value' },
          x: { value: 0 },
          text: { field: 'threshold' },
        },
      },
    ],
  } as TopLevelSpec;
}
