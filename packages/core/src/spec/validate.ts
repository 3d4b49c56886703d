import { z } from 'zod';
import { GradlabError } from '../errors.js';
import { ExperimentSpec, type ExperimentSpecInput } from './schema.js';

function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function showPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(spec)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** One line per rejected field: its path, what was wrong and what was given. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const got = 'input' in issue ? `; got ${showValue(issue.input)}` : '';
    return `${showPath(issue.path)}: ${issue.message}${got}`;
  });
}

/**
 * Validates a spec and fills in its defaults. Throws GradlabError('INVALID_SPEC') whose message
 * lists every rejected field, so a user fixes them all in one go.
 */
export function parseSpec(input: unknown, source = 'spec'): ExperimentSpec {
  const result = ExperimentSpec.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const details = describeIssues(result.error);
  throw new GradlabError(
    'INVALID_SPEC',
    `${source} is not a valid gradlab experiment:\n  ${details.join('\n  ')}\nSee the JSON Schema (\`gradlab schema\`) and a valid example (\`gradlab presets tiny\`).`,
    details,
  );
}

/** Parses JSON text, then the spec; malformed JSON is reported with the source's name. */
export function parseSpecJson(text: string, source = 'spec'): ExperimentSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new GradlabError(
      'INVALID_SPEC',
      `${source} is not valid JSON (${(e as Error).message}). A spec is a JSON object such as the output of \`gradlab presets tiny\`.`,
    );
  }
  return parseSpec(raw, source);
}

/** Identity with type checking, for writing specs in TypeScript. */
export function defineSpec(spec: ExperimentSpecInput): ExperimentSpecInput {
  return spec;
}
