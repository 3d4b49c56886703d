import { printable } from '../render/printable.js';
import type { StopSignal } from '../stop-signals.js';

/** Where each run of a stopped comparison got to. */
export interface StoppedComparison {
  readonly signal: StopSignal;
  /** The comparison's directory. */
  readonly out: string;
  /** Runs that finished before the signal: kept as they are. */
  readonly finished: readonly string[];
  /** The run the signal interrupted (its record is kept, marked cancelled); null if between runs. */
  readonly interrupted: string | null;
  /** Runs never started. */
  readonly notRun: readonly string[];
}

/**
 * The message of a comparison stopped by a signal, as `gradlab run` says it: which signal, what
 * was kept where, which run is marked cancelled and which never ran, so that a user can tell a
 * stopped comparison from a finished one without opening comparison.json.
 */
export function stoppedMessage(s: StoppedComparison): string {
  const list = (names: readonly string[]) => names.map(printable).join(', ');
  const parts = [
    s.finished.length > 0 ? `finished: ${list(s.finished)}` : 'no run finished',
    ...(s.interrupted ? [`interrupted, kept marked cancelled: ${printable(s.interrupted)}`] : []),
    ...(s.notRun.length > 0 ? [`not run: ${list(s.notRun)}`] : []),
  ];
  return `gradlab: stopped by ${s.signal}; the comparison is kept in ${printable(s.out)} (${parts.join('; ')}).\n`;
}
