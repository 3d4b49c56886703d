import type { StepDiagnostics } from '../diagnostics/types.js';
import type { RunEvent } from '../train/events.js';

/** One line of metrics.jsonl (a bundle's `metrics[i]`): the step, its loss, time and diagnostics. */
export type MetricsRow = StepDiagnostics & { ms: number };

/** One line of pretrain.jsonl (a bundle's `pretraining[i]`). */
export interface PretrainRow {
  readonly phase?: 'pretrain';
  readonly layer: string;
  readonly step: number;
  readonly loss: number;
}

/**
 * The metrics row of a step event. Every writer of run records (the run directory, the
 * in-memory record a sweep cell ships back) goes through this, so their rows are identical.
 */
export function metricsRow(event: Extract<RunEvent, { type: 'step' }>): MetricsRow {
  return {
    step: event.step,
    loss: event.loss,
    ms: Number(event.ms.toFixed(3)),
    ...(event.diagnostics ?? {}),
  } as MetricsRow;
}

export function pretrainRow(event: Extract<RunEvent, { type: 'pretrain' }>): PretrainRow {
  return { phase: 'pretrain', layer: event.layer, step: event.step, loss: event.loss };
}
