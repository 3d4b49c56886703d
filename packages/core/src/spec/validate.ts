import type { z } from 'zod';
import { GradlabError } from '../errors.js';
import { parseJsonText } from './json-text.js';
import { assertNotTooDeep } from './nesting.js';
import { ExperimentSpec, type ExperimentSpecInput } from './schema.js';
import { showPath, showValue } from './show.js';

type Issue = z.core.$ZodIssue;

/**
 * A union that matched no branch ("activation: a name or a list of names") reports only
 * "Invalid input". Show instead the issues of the branch the input came closest to: one whose
 * issues lie inside the input (the input had that branch's shape), else one that did not fail
 * on the input's type alone; then the one with the fewest issues.
 */
function expandUnion(issue: Issue): Issue[] {
  if (
    issue.code !== 'invalid_union' ||
    issue.message !== 'Invalid input' ||
    issue.errors.length === 0
  )
    return [issue];
  const distance = (b: readonly Issue[]) =>
    b.some((i) => i.path.length > 0) ? 0 : b.every((i) => i.code === 'invalid_type') ? 2 : 1;
  const best = [...issue.errors]
    .filter((b) => b.length > 0)
    .sort((a, b) => distance(a) - distance(b) || a.length - b.length)[0];
  if (!best) return [issue];
  return best.flatMap((i) =>
    expandUnion({
      ...i,
      path: [...issue.path, ...i.path],
      ...('input' in i || !('input' in issue) ? {} : { input: issue.input }),
    } as Issue),
  );
}

/** One line per rejected field: its path, what was wrong and what was given. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.flatMap(expandUnion).map((issue) => {
    // A discriminator issue ("data.kind") carries the whole object: show the field itself.
    const key = issue.path[issue.path.length - 1];
    const input = issue.input;
    const value =
      typeof key === 'string' &&
      input !== null &&
      typeof input === 'object' &&
      !Array.isArray(input) &&
      key in input
        ? (input as Record<string, unknown>)[key]
        : input;
    // An unknown field's message names the field and its value itself.
    const got =
      'input' in issue && issue.code !== 'unrecognized_keys' ? `; got ${showValue(value)}` : '';
    return `${showPath(issue.path)}: ${issue.message}${got}`;
  });
}

/**
 * Validates a spec and fills in its defaults. Throws GradlabError('INVALID_SPEC') whose message
 * lists every rejected field, so a user fixes them all in one go.
 */
export function parseSpec(input: unknown, source = 'spec'): ExperimentSpec {
  assertNotTooDeep(input, source, 'INVALID_SPEC', 'experiment');
  const result = ExperimentSpec.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const details = describeIssues(result.error);
  throw new GradlabError(
    'INVALID_SPEC',
    `${source} is not a valid gradlab experiment:\n  ${details.join('\n  ')}\nSee the JSON Schema (\`gradlab schema\`) and a valid example (\`gradlab presets tiny\`).`,
    details,
  );
}

/**
 * Parses JSON text (a leading byte-order mark allowed), then the spec; malformed JSON is
 * reported with the source's name.
 */
export function parseSpecJson(text: string, source = 'spec'): ExperimentSpec {
  const raw = parseJsonText(
    text,
    source,
    'INVALID_SPEC',
    'A spec is a JSON object such as the output of `gradlab presets tiny`.',
  );
  return parseSpec(raw, source);
}

/** Identity with type checking, for writing specs in TypeScript. */
export function defineSpec(spec: ExperimentSpecInput): ExperimentSpecInput {
  return spec;
}
