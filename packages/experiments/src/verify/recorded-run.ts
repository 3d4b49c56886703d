import type { RunRecord, StepDiagnostics } from '@gradlab/core';
import type { TrainedRun } from '../study.js';

/** JSON writes NaN and Infinity as null; the numbers a judge compares come back as NaN. */
const measured = (x: number | null): number => (x === null ? Number.NaN : x);

function stepOf(row: RunRecord['metrics'][number]): StepDiagnostics {
  const { ms: _ms, ...step } = row;
  return {
    ...step,
    loss: measured(step.loss),
    globalGradNorm: measured(step.globalGradNorm),
    telemetry: Object.fromEntries(
      Object.entries(step.telemetry ?? {}).map(([k, v]) => [k, measured(v)]),
    ),
    layers: step.layers.map((l) => ({ ...l, gradNorm: measured(l.gradNorm) })),
    ...(step.signal
      ? {
          signal: {
            ...step.signal,
            norms: step.signal.norms.map(measured),
            ratioFirstToLast: measured(step.signal.ratioFirstToLast),
          },
        }
      : {}),
  } as StepDiagnostics;
}

/**
 * A study's run as its record holds it, for judging a study from the records a sweep wrote
 * (`gradlab verify` on workers, or re-judging a finished verify): the same losses and
 * step diagnostics the in-process run collected from its events. A record keeps a NaN or an
 * Infinity as null; the loss, gradient and signal norms come back as NaN, which every
 * comparison treats as not finite, like the number it was.
 */
export function trainedRunFromRecord(label: string, record: RunRecord): TrainedRun {
  // Steps without diagnostics are recorded as step, loss and time alone.
  const rows = record.metrics;
  return {
    label,
    spec: record.spec,
    result: record.manifest.result,
    losses: rows.map((r) => measured(r.loss)),
    steps: rows.filter((r) => Array.isArray(r.layers)).map(stepOf),
  };
}
