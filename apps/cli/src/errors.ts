import { isGradlabError } from '@gradlab/core';
import { CommanderError } from 'commander';
import { printable } from './render/printable.js';

/**
 * Exit codes: 0 done, 1 unexpected failure (or a sweep's queue gone, or a record that could not
 * be written), 2 bad input (nothing written), 130 cancelled (by a stop signal: 128 + its number,
 * see stop-signals.ts).
 */
export const EXIT = { ok: 0, failure: 1, badInput: 2, cancelled: 130 } as const;

/** Turns any error into the paragraph a user reads and the exit code a script reads. */
export function reportError(e: unknown, stderr: NodeJS.WritableStream): number {
  if (e instanceof CommanderError) {
    // commander has already printed its message (unknown option, missing argument, ...).
    return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  }
  if (isGradlabError(e)) {
    // Messages quote input (names, values): no control character reaches the terminal raw.
    stderr.write(`gradlab: ${printable(e.message)}\n`);
    if (e.code === 'RUN_CANCELLED') return EXIT.cancelled;
    // Not bad input: a sweep's Redis went away mid-sweep, or the disk refused a record (what
    // was written is kept).
    return e.code === 'QUEUE_UNAVAILABLE' || e.code === 'RECORD_WRITE_FAILED'
      ? EXIT.failure
      : EXIT.badInput;
  }
  stderr.write(
    `gradlab: unexpected error: ${printable(e instanceof Error ? (e.stack ?? e.message) : String(e))}\nThis is a bug in gradlab; please report it with the command you ran.\n`,
  );
  return EXIT.failure;
}
