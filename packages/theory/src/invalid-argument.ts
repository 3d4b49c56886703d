/**
 * The error every @gradlab/theory function throws on bad input. The package stays free of
 * tfjs, so it cannot import @gradlab/core's GradlabError; this one carries the same code
 * ('INVALID_ARGUMENT') and the same kind of message, naming the field, the value and what is
 * allowed, so callers branch on `code` alike.
 */
export class TheoryArgumentError extends RangeError {
  override readonly name = 'TheoryArgumentError';
  readonly code = 'INVALID_ARGUMENT' as const;
  readonly field: string;

  constructor(field: string, value: unknown, allowed: string) {
    super(`${field} is ${describe(value)}; expected ${allowed}`);
    this.field = field;
  }
}

export function invalidArgument(
  field: string,
  value: unknown,
  allowed: string,
): TheoryArgumentError {
  return new TheoryArgumentError(field, value, allowed);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) {
    return String(value);
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
