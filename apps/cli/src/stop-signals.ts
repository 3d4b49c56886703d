import { constants } from 'node:os';

/**
 * The signals that ask a command to stop: Ctrl-C (SIGINT), a service manager or `kill`
 * (SIGTERM), a closed terminal or SSH session (SIGHUP). Each cancels the work the same way (what
 * was done is kept, marked cancelled); the exit code then says which one it was, 128 + its
 * number as a shell reports a signal: 130, 143, 129.
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** 128 + the signal's number: the exit code of a command stopped by it. */
export function exitCodeOf(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

export interface StopSignals {
  /** The first stop signal received, null while none has been. */
  readonly received: StopSignal | null;
  /** The exit code of a cancelled command: 128 + the signal (130 when cancelled otherwise). */
  readonly exitCode: number;
  /** Stops listening: from then on the signals act as they would without this. */
  dispose(): void;
}

/**
 * Calls `onStop` on the first stop signal. Each signal is caught once: sent again (a second
 * Ctrl-C), it ends the process at once, as a user who insists expects.
 */
export function onStopSignals(onStop: (signal: StopSignal) => void): StopSignals {
  let received: StopSignal | null = null;
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      received ??= signal;
      onStop(signal);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return {
    get received() {
      return received;
    },
    get exitCode() {
      return exitCodeOf(received ?? 'SIGINT');
    },
    dispose() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}
