import fc from 'fast-check';

/**
 * Inputs for fuzzing the spec and sweep parsers: a valid document damaged in the ways people and
 * programs damage JSON. Used by test-fuzz-parser.ts for the spec and sweep fuzz tests.
 */

/**
 * fast-check's settings for the parser fuzz tests: 1,000 inputs per property. The failure report
 * leads with the seed and path that replay it; it does not print the counterexample, which may
 * be nested too deep for fast-check's own printer.
 */
export const fuzzRuns = <T>(): fc.Parameters<[T]> => ({
  numRuns: 1000,
  // GRADLAB_FUZZ_SEED=<seed from a failure report> replays that run.
  ...(process.env.GRADLAB_FUZZ_SEED ? { seed: Number(process.env.GRADLAB_FUZZ_SEED) } : {}),
  reporter: (run) => {
    if (!run.failed) return;
    const why =
      run.errorInstance instanceof Error ? run.errorInstance.stack : String(run.errorInstance);
    throw new Error(
      `fuzz property failed after ${run.numRuns} inputs: replay with GRADLAB_FUZZ_SEED=${run.seed} (seed ${run.seed}, path "${run.counterexamplePath}")\n${why}`,
    );
  },
});

/** JSON text of a value, or null where the test's own JSON.stringify overflows (deep values). */
export function jsonTextOf(v: unknown): string | null {
  try {
    return JSON.stringify(v);
  } catch {
    return null;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

/**
 * The path of every value inside `doc` (the root excluded) down to 16 levels, in a stable order;
 * a deeply nested value a mutation put there is a leaf.
 */
export function pathsOf(doc: unknown, at: Path = []): Path[] {
  if (doc === null || typeof doc !== 'object' || at.length >= 16) return [];
  const entries: [string | number, unknown][] = Array.isArray(doc)
    ? doc.map((v, i) => [i, v])
    : Object.entries(doc);
  return entries.flatMap(([k, v]) => [[...at, k], ...pathsOf(v, [...at, k])]);
}

function nested(depth: number, asArray: boolean): Json {
  let v: Json = 1;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { x: v };
  return v;
}

/** Values that are wrong in the ways that break validators and the messages about them. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    true,
    '',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e999',
    '-0',
    '0x10',
    1e308,
    -1e308,
    5e-324,
    Number.MAX_SAFE_INTEGER + 2,
    -0,
    [],
    {},
    '__proto__',
    { __proto__: null } as Json,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'é𝔘\u0000'.repeat(n)),
  // Shallow, or deep enough to overflow a recursive walk (about 10,000 levels in V8).
  fc
    .tuple(
      fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 10_000, max: 20_000 })),
      fc.boolean(),
    )
    .map(([d, a]) => nested(d, a)),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** A key typed wrong: one character dropped, doubled, swapped or changed, or the case flipped. */
const typo = (key: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom('drop', 'double', 'swap', 'change', 'case'),
      fc.string({ minLength: 1, maxLength: 1 }),
    )
    .map(([n, how, c]) => {
      if (key.length === 0) return c;
      const i = n % key.length;
      if (how === 'drop') return key.slice(0, i) + key.slice(i + 1);
      if (how === 'double') return key.slice(0, i + 1) + key.slice(i);
      if (how === 'swap' && i + 1 < key.length)
        return key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
      if (how === 'case') return key.toUpperCase() === key ? key.toLowerCase() : key.toUpperCase();
      return key.slice(0, i) + c + key.slice(i + 1);
    });

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'rename'; at: number; key: string }
  | { kind: 'replace'; at: number; value: Json };

const mutation = (keys: readonly string[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('rename' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom(...keys).chain(typo), fc.string({ maxLength: 12 })),
    }),
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
  );

/** Sets an own property, even "__proto__", as JSON.parse would. */
function setOwn(o: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `doc` with the value at `path` changed by `m`; copies only along the path (never deep). */
function apply(doc: Json, m: Mutation, path?: Path): Json {
  const paths = path ? [path] : pathsOf(doc);
  if (paths.length === 0) return m.kind === 'replace' ? m.value : doc;
  const [head, ...rest] = paths[m.at % paths.length] as Path;
  if (Array.isArray(doc)) {
    const i = head as number;
    const copy = [...doc];
    if (rest.length > 0) copy[i] = apply(copy[i] as Json, m, rest);
    else if (m.kind === 'delete') copy.splice(i, 1);
    else if (m.kind === 'replace') copy[i] = m.value;
    return copy;
  }
  const o = doc as Record<string, Json>;
  const key = head as string;
  const copy: Record<string, Json> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k !== key) setOwn(copy, k, v);
    else if (rest.length > 0) setOwn(copy, k, apply(v, m, rest));
    else if (m.kind === 'replace') setOwn(copy, k, m.value);
    else if (m.kind === 'rename') setOwn(copy, m.key, v);
  }
  return copy;
}

/** `valid` with one to three mutations: deleted keys, misspelt keys, hostile values. */
export function mutated(valid: Json): fc.Arbitrary<Json> {
  const keys = [...new Set(pathsOf(valid).map((p) => String(p[p.length - 1])))];
  return fc
    .array(mutation(keys), { minLength: 1, maxLength: 3 })
    .map((ms) => ms.reduce((doc, m) => apply(doc, m), valid));
}

/** Text that may or may not be JSON: any string, JSON of any value, and either with a BOM. */
export const jsonishText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => `\uFEFF${s}`),
  fc.json({ maxDepth: 4 }).map((s) => `\uFEFF${s}`),
);
