import fc from 'fast-check';
import { expect, test } from 'vitest';
import { GradlabError, type GradlabErrorCode } from '../errors.js';
import { fuzzRuns, jsonishText, jsonTextOf, mutated } from './test-fuzz-inputs.js';

/**
 * The fuzz tests of a parser of JSON documents (the spec, the sweep): whatever it is fed, it
 * either parses or is refused with `code`, each line of the message naming a path; never a
 * stack overflow, a TypeError or a zod error. Three properties of 1,000 inputs each.
 */
export interface ParserUnderFuzz {
  readonly parse: (input: unknown, source?: string) => unknown;
  readonly parseJson: (text: string, source?: string) => unknown;
  /** Valid documents to mutate, as plain JSON. */
  readonly valid: readonly unknown[];
  /** The top-level fields of the schema: a path in a message starts with one of them. */
  readonly fields: readonly string[];
  readonly code: GradlabErrorCode;
}

export function fuzzParserTests(p: ParserUnderFuzz): void {
  /** Each line starts with a path: "(spec)", or rooted in a field or a key of the input. */
  const expectRefusalNamingPaths = (input: unknown, run: () => unknown) => {
    let e: unknown;
    try {
      run();
      return;
    } catch (thrown) {
      e = thrown;
    }
    expect(e).toBeInstanceOf(GradlabError);
    const error = e as GradlabError;
    expect(error.code).toBe(p.code);
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return;
    expect(error.details.length).toBeGreaterThan(0);
    for (const line of error.details) {
      const rooted =
        line.startsWith('(spec): ') ||
        [...p.fields, ...Object.keys(input)].some(
          // A key that is not a plain name is quoted: [" "].x
          (k) => line.startsWith(k) || line.startsWith(`[${JSON.stringify(k)}]`),
        );
      expect(rooted, `a path rooted in the input at the start of: ${line.slice(0, 200)}`).toBe(
        true,
      );
    }
  };

  test('any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => expectRefusalNamingPaths(v, () => p.parse(v))),
      fuzzRuns(),
    );
  });

  test('a valid document with keys deleted, misspelt, or given hostile values', () => {
    const input = fc.constantFrom(...(p.valid as Parameters<typeof mutated>[0][])).chain(mutated);
    fc.assert(
      fc.property(input, (v) => {
        expectRefusalNamingPaths(v, () => p.parse(v));
        // The same document as a file's text takes the same way through.
        const text = jsonTextOf(v);
        if (text !== null) expectRefusalNamingPaths(v, () => p.parseJson(text));
      }),
      fuzzRuns(),
    );
  });

  test('any text as a file', () => {
    fc.assert(
      fc.property(jsonishText, (text) => {
        try {
          p.parseJson(text, 'fuzz.json');
        } catch (e) {
          expect(e).toBeInstanceOf(GradlabError);
          expect((e as GradlabError).code).toBe(p.code);
          expect((e as GradlabError).message).toMatch(/^fuzz\.json is not (valid JSON|a valid)/);
        }
      }),
      fuzzRuns(),
    );
  });
}
