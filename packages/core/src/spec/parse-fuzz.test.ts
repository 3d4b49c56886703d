import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { GradlabError } from '../errors.js';
import { tinySpec } from '../test-support.js';
import { ExperimentSpec } from './schema.js';
import { fuzzRuns, jsonishText, jsonTextOf, mutated } from './test-fuzz-inputs.js';
import { parseSpec, parseSpecJson } from './validate.js';

/**
 * Whatever a user feeds the spec parser, it either parses or is refused with INVALID_SPEC
 * naming the path of each problem: never a stack overflow, a TypeError or a zod error.
 */

const valid = [
  tinySpec(),
  tinySpec({ data: { kind: 'adding' }, model: { kind: 'lstm', hiddenSize: 8 } }),
  tinySpec({
    data: { kind: 'spirals' },
    model: {
      kind: 'mlp',
      depth: 3,
      width: [8, 8],
      init: [{ kind: 'normal', std: 0.1 }, 'zeros', 'orthogonal'],
    },
    training: { optimizer: { kind: 'adam', lr: 0.01 }, clip: { kind: 'norm', maxNorm: 1 } },
  }),
].map((s) => JSON.parse(JSON.stringify(s)));

const specFields = Object.keys(ExperimentSpec.shape);

/**
 * Each line of the message starts with a path: "(spec)", or rooted in a field of the spec or a
 * key of the input (an unknown key nested too deep is named where it is).
 */
function expectRefusalNamingPaths(input: unknown, run: () => unknown): void {
  let e: unknown;
  try {
    run();
    return;
  } catch (thrown) {
    e = thrown;
  }
  expect(e).toBeInstanceOf(GradlabError);
  const error = e as GradlabError;
  expect(error.code).toBe('INVALID_SPEC');
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return;
  expect(error.details.length).toBeGreaterThan(0);
  for (const line of error.details) {
    const rooted =
      line.startsWith('(spec): ') ||
      [...specFields, ...Object.keys(input)].some((k) => line.startsWith(k));
    expect(rooted, `a path rooted in the input at the start of: ${line.slice(0, 200)}`).toBe(true);
    expect(line).toMatch(/^[^\n]*?: /);
  }
}

describe('the spec parser, fuzzed (1,000 inputs each)', () => {
  test('any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => expectRefusalNamingPaths(v, () => parseSpec(v))),
      fuzzRuns(),
    );
  });

  test('a valid spec with keys deleted, misspelt, or given hostile values', () => {
    const input = fc.constantFrom(...valid).chain(mutated);
    fc.assert(
      fc.property(input, (v) => {
        expectRefusalNamingPaths(v, () => parseSpec(v));
        // The same document as a file's text takes the same way through.
        const text = jsonTextOf(v);
        if (text !== null) expectRefusalNamingPaths(v, () => parseSpecJson(text));
      }),
      fuzzRuns(),
    );
  });

  test('any text as a spec file', () => {
    fc.assert(
      fc.property(jsonishText, (text) => {
        try {
          parseSpecJson(text, 'fuzz.json');
        } catch (e) {
          expect(e).toBeInstanceOf(GradlabError);
          expect((e as GradlabError).code).toBe('INVALID_SPEC');
          expect((e as GradlabError).message).toMatch(/^fuzz\.json is not (valid JSON|a valid)/);
        }
      }),
      fuzzRuns(),
    );
  });
});
