import { GradlabError } from '@gradlab/core';
import { presetSpec } from '@gradlab/experiments';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
// The mutations are shared with core's spec fuzz test (a test-only module, not in core's exports).
import {
  fuzzRuns,
  jsonishText,
  jsonTextOf,
  mutated,
} from '../../core/src/spec/test-fuzz-inputs.js';
import { parseSweep, parseSweepJson, SweepSpec } from './schema.js';

/**
 * Whatever a user feeds the sweep parser, it either parses or is refused with INVALID_SWEEP
 * naming the path of each problem: never a stack overflow, a TypeError or a zod error.
 */

const valid = [
  {
    gradlab: 1,
    name: 'depth-x-init',
    description: 'the example of docs/sweeps.md',
    base: 'tiny',
    grid: { 'model.depth': [4, 8], 'model.init': ['xavier-normal', 'he-normal'] },
    mitigations: ['none', 'batchnorm'],
    seeds: [0, 1],
    backends: ['wasm'],
    variants: [{ 'model.depth': 16, 'model.init': 'orthogonal' }],
  },
  { gradlab: 1, name: 'inline', base: presetSpec('tiny'), grid: { 'training.steps': [2, 3] } },
].map((s) => JSON.parse(JSON.stringify(s)));

const sweepFields = Object.keys(SweepSpec.shape);

/** Each line starts with a path: "(spec)", or rooted in a sweep field or a key of the input. */
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
  expect(error.code).toBe('INVALID_SWEEP');
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return;
  expect(error.details.length).toBeGreaterThan(0);
  for (const line of error.details) {
    const rooted =
      line.startsWith('(spec): ') ||
      [...sweepFields, ...Object.keys(input)].some((k) => line.startsWith(k));
    expect(rooted, `a path rooted in the input at the start of: ${line.slice(0, 200)}`).toBe(true);
  }
}

describe('the sweep parser, fuzzed (1,000 inputs each)', () => {
  test('any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => expectRefusalNamingPaths(v, () => parseSweep(v))),
      fuzzRuns(),
    );
  });

  test('a valid sweep with keys deleted, misspelt, or given hostile values', () => {
    const input = fc.constantFrom(...valid).chain(mutated);
    fc.assert(
      fc.property(input, (v) => {
        expectRefusalNamingPaths(v, () => parseSweep(v));
        const text = jsonTextOf(v);
        if (text !== null) expectRefusalNamingPaths(v, () => parseSweepJson(text));
      }),
      fuzzRuns(),
    );
  });

  test('any text as a sweep file', () => {
    fc.assert(
      fc.property(jsonishText, (text) => {
        try {
          parseSweepJson(text, 'fuzz.json');
        } catch (e) {
          expect(e).toBeInstanceOf(GradlabError);
          expect((e as GradlabError).code).toBe('INVALID_SWEEP');
          expect((e as GradlabError).message).toMatch(/^fuzz\.json is not (valid JSON|a valid)/);
        }
      }),
      fuzzRuns(),
    );
  });
});
