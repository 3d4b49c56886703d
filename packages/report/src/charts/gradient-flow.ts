import type { RunRecord } from '@gradlab/core';
import type { TopLevelSpec } from 'vega-lite';
import { lastLayer, layerNames, loggable, pickSteps } from '../data.js';
import { logAxis } from './log-axis.js';
import { kindOf, logScale, markerOf, offScaleLayers, onScale, presentKinds } from './off-scale.js';

/**
 * Gradient flow: ||dL/dW|| of each layer, input layer to output layer, at the first, middle
 * and last logged steps (log scale). Two dashed rules mark the vanishing and exploding
 * thresholds of the last logged step, relative to its last layer as the verdicts judge them:
 * max(vanishingRatio x last, vanishingNorm) and min(explodingRatio x last, explodingNorm).
 * A norm the log scale cannot place (0, subnormal, NaN or Infinity; null in a record read from
 * JSON) is drawn at the bottom (0, subnormal) or top (non-finite) edge with a shape of its own,
 * explained in the legend, and breaks the step's line there.
 */
export function gradientFlowSpec(record: RunRecord): TopLevelSpec {
  const layers = layerNames(record);
  const steps = pickSteps(record.metrics);
  const all = steps.flatMap((s) =>
    s.layers.map((l) => ({
      step: `step ${s.step}`,
      layer: l.name,
      // null breaks the line: the log scale has no place for the value.
      gradNorm: onScale(l.gradNorm) ? l.gradNorm : null,
      kind: kindOf(l.gradNorm),
      marker: markerOf(l.gradNorm),
    })),
  );
  const kinds = presentKinds(all.map((v) => v.kind));
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
  const y = { type: 'quantitative', scale: logScale(kinds), axis: logAxis() } as const;
  const x = { field: 'layer', type: 'ordinal', sort: layers, title: 'layer' } as const;
  const color = {
    field: 'step',
    type: 'nominal',
    sort: steps.map((s) => `step ${s.step}`),
    title: 'step',
  } as const;
  const encoding = { x, y: { ...y, field: 'gradNorm', title: 'gradient norm' }, color } as const;
  const edgeLayers = offScaleLayers(all, kinds, {
    x,
    color,
    tooltip: [{ field: 'layer' }, { field: 'step' }, { field: 'marker', title: 'gradient norm' }],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Gradient flow: ||dL/dW|| per layer',
      subtitle:
        kinds.length > 0
          ? "input layer on the left; dashed: vanishing and exploding thresholds; 0, subnormal and NaN/Inf norms at the plot's edges"
          : 'input layer on the left; dashed: vanishing and exploding thresholds',
    },
    width: Math.max(320, Math.min(900, layers.length * 36)),
    height: 260,
    layer: [
      {
        name: 'flow_lines',
        data: { values: all },
        // A null norm breaks the line instead of joining its neighbours across the gap.
        mark: { type: 'line', invalid: 'break-paths-filter-domains' },
        encoding,
      },
      {
        name: 'flow_points',
        data: { values: all.filter((v) => v.gradNorm !== null) },
        mark: { type: 'point', filled: true, size: 40 },
        encoding,
      },
      ...edgeLayers,
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
