import type { RunRecord } from '@gradlab/core';
import type { TopLevelSpec } from 'vega-lite';
import { fullSteps } from '../data.js';
import { logAxis } from './log-axis.js';
import { kindOf, logScale, markerOf, offScaleLayers, onScale, presentKinds } from './off-scale.js';

/** True for a recurrent run (rnn, lstm, gru), whose signal profile is over time steps. */
export function isRecurrent(record: RunRecord): boolean {
  return record.spec.model.kind !== 'mlp';
}

/**
 * Recurrent runs: ||dL/dh_t|| against the time step t, at the first and last full-diagnostic
 * steps (log scale). A norm the log scale cannot place (0, subnormal, NaN or Infinity; null in a
 * record read from JSON) is drawn at the bottom (0, subnormal) or top (non-finite) edge with a
 * shape of its own, explained in the legend. Null when the run is not recurrent or measured no
 * signal.
 */
export function signalSpec(record: RunRecord): TopLevelSpec | null {
  if (!isRecurrent(record)) return null;
  const full = fullSteps(record).filter((m) => m.signal && m.signal.norms.length > 0);
  const picked = full.length <= 1 ? full : [full[0], full[full.length - 1]];
  if (picked.length === 0) return null;
  const all = picked.flatMap((m) =>
    (m?.signal?.labels ?? []).map((label, i) => {
      const norm = m?.signal?.norms[i];
      return {
        step: `step ${m?.step}`,
        t: i + 1,
        label,
        // null breaks the line: the log scale has no place for the value.
        norm: onScale(norm) ? norm : null,
        kind: kindOf(norm),
        marker: markerOf(norm),
      };
    }),
  );
  const kinds = presentKinds(all.map((v) => v.kind));
  const x = { field: 't', type: 'quantitative', title: 'time step t' } as const;
  const color = { field: 'step', type: 'nominal', title: 'training step' } as const;
  const encoding = {
    x,
    y: {
      field: 'norm',
      type: 'quantitative',
      scale: logScale(kinds),
      axis: logAxis(),
      title: '||dL/dh_t||',
    },
    color,
  } as const;
  const edgeLayers = offScaleLayers(all, kinds, {
    x,
    color,
    tooltip: [
      { field: 'label', title: 'time step' },
      { field: 'step', title: 'training step' },
      { field: 'marker', title: '||dL/dh_t||' },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: '||dL/dh_t|| by time step',
      subtitle:
        kinds.length > 0
          ? "backpropagated signal at the first and last full-diagnostic steps; 0, subnormal and NaN/Inf norms at the plot's edges"
          : 'backpropagated signal at the first and last full-diagnostic steps',
    },
    width: 640,
    height: 220,
    layer: [
      {
        name: 'signal_lines',
        data: { values: all },
        // A null norm breaks the line instead of joining its neighbours across the gap.
        mark: { type: 'line', invalid: 'break-paths-filter-domains' },
        encoding,
      },
      {
        name: 'signal_points',
        data: { values: all.filter((v) => v.norm !== null) },
        mark: { type: 'point', filled: true },
        encoding,
      },
      ...edgeLayers,
    ],
  } as TopLevelSpec;
}
