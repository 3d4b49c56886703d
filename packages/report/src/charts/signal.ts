import type { RunRecord } from '@gradlab/core/node';
import type { TopLevelSpec } from 'vega-lite';
import { fullSteps, loggable } from '../data.js';

/** True for a recurrent run (rnn, lstm, gru), whose signal profile is over time steps. */
export function isRecurrent(record: RunRecord): boolean {
  return record.spec.model.kind !== 'mlp';
}

/**
 * Recurrent runs: ||dL/dh_t|| against the time step t, at the first and last full-diagnostic
 * steps (log scale). Null when the run is not recurrent or measured no signal.
 */
export function signalSpec(record: RunRecord): TopLevelSpec | null {
  if (!isRecurrent(record)) return null;
  const full = fullSteps(record).filter((m) => m.signal && m.signal.norms.length > 0);
  const picked = full.length <= 1 ? full : [full[0], full[full.length - 1]];
  if (picked.length === 0) return null;
  const values = picked.flatMap((m) =>
    (m?.signal?.labels ?? []).flatMap((label, i) => {
      const norm = m?.signal?.norms[i];
      return loggable(norm) ? [{ step: `step ${m?.step}`, t: i + 1, label, norm }] : [];
    }),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: '||dL/dh_t|| by time step',
      subtitle: 'backpropagated signal at the first and last full-diagnostic steps',
    },
    width: 640,
    height: 220,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time step t' },
      y: { field: 'norm', type: 'quantitative', scale: { type: 'log' }, title: '||dL/dh_t||' },
      color: { field: 'step', type: 'nominal', title: 'training step' },
    },
  } as TopLevelSpec;
}
