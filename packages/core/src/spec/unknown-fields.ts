import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { showValue } from './show.js';

/** The known field a mistyped one was most likely meant as, when it is close enough to be a typo. */
export function suggestField(typed: string, known: readonly string[]): string | null {
  if (known.length === 0 || typed.length === 0) return null;
  const best = closest(typed, [...known]);
  // A third of the length (at least 2 edits) separates typos from unrelated names.
  return distance(typed, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

function unknownFieldsMessage(
  keys: readonly string[],
  known: readonly string[],
  input: unknown,
  freeText: string | undefined,
): string {
  const given = (key: string) =>
    input !== null && typeof input === 'object' && Object.hasOwn(input, key)
      ? showValue((input as Record<string, unknown>)[key])
      : 'nothing';
  const guess = (key: string) => {
    const near = suggestField(key, known);
    return near ? `did you mean \`${near}\`?` : '';
  };
  const fields = `the fields here: ${known.join(', ')}${freeText ? `; put free text in \`${freeText}\`` : ''}`;
  if (keys.length === 1) {
    const key = keys[0] as string;
    const near = guess(key);
    return `unknown field ${JSON.stringify(key)} (given ${given(key)}); ${near ? `${near} ` : ''}${near ? fields[0]?.toUpperCase() + fields.slice(1) : fields}`;
  }
  const each = keys.map(
    (k) => `${JSON.stringify(k)} (given ${given(k)}${guess(k) ? `; ${guess(k)}` : ''})`,
  );
  return `unknown fields ${each.join(', ')}; ${fields}`;
}

/**
 * z.strictObject whose unknown-field message names the closest known field. Spec objects are
 * strict so that a misspelt field ("stpes") is an error, not a silent fall back to the default.
 * `freeText` names the field that takes notes, for the top level.
 */
export function strictFields<T extends z.core.$ZodLooseShape>(shape: T, freeText?: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? unknownFieldsMessage(issue.keys, known, issue.input, freeText)
        : undefined,
  });
}
