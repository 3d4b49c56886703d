/**
 * Every error gradlab throws on purpose is a GradlabError with a stable `code`, so callers (the
 * CLI, the playground, users' scripts) can branch on the kind of failure and show `message`,
 * which always says what went wrong and what to do about it.
 */
export type GradlabErrorCode =
  | 'INVALID_SPEC'
  | 'INVALID_SWEEP'
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_BACKEND'
  | 'BACKEND_UNAVAILABLE'
  | 'BACKEND_INIT_FAILED'
  | 'UNKNOWN_PRESET'
  | 'RUN_CANCELLED'
  | 'RECORD_EXISTS'
  | 'RECORD_INCOMPLETE'
  | 'INVALID_RECORD'
  /** A record could not be written (disk full, read-only filesystem, no permission). */
  | 'RECORD_WRITE_FAILED'
  | 'UNSUPPORTED_MODEL'
  | 'NON_FINITE_GRADIENT'
  /** A run's estimated memory exceeds the limit (GRADLAB_MAX_MEMORY or the machine's). */
  | 'OVER_BUDGET'
  /** A sweep's queue (Redis) cannot be reached, or stopped answering mid-sweep. */
  | 'QUEUE_UNAVAILABLE'
  /** Another sweep is running in the same sweep directory. */
  | 'SWEEP_BUSY'
  /** An optional package a feature needs is not installed (for example `mnist`). */
  | 'MISSING_DEPENDENCY';

export class GradlabError extends Error {
  override readonly name = 'GradlabError';
  readonly code: GradlabErrorCode;
  /** Structured detail (for example every rejected field of a spec). */
  readonly details: readonly string[];

  constructor(code: GradlabErrorCode, message: string, details: readonly string[] = []) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export function isGradlabError(e: unknown): e is GradlabError {
  return e instanceof GradlabError;
}
