import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { GradlabError } from '../errors.js';
import { fuzzRuns, jsonishText, jsonTextOf, mutated } from '../spec/test-fuzz-inputs.js';
import { parseComparisonJson } from './comparison-schema.js';

/** comparison.json of each kind, as `gradlab compare --with` and `--backends` write it. */
const mitigations = {
  gradlab: 1,
  kind: 'comparison',
  status: 'complete',
  baseline: 'tiny',
  backend: { name: 'cpu', device: 'CPU' },
  variants: ['batchnorm'],
  rows: [
    {
      variant: 'baseline',
      record: '/tmp/x/baseline',
      ratioFirstToLast: { start: 0.5, end: null },
      verdict: 'healthy',
      worstVerdict: 'vanishing',
      finalLoss: 2.3,
      accuracy: null,
      seconds: 1.5,
      status: 'complete',
    },
  ],
};
const backends = {
  gradlab: 1,
  kind: 'backend-comparison',
  status: 'cancelled',
  spec: 'tiny',
  reference: 'cpu',
  tolerance: 1e-3,
  backends: [
    {
      backend: 'cpu',
      status: 'ran',
      info: { name: 'cpu', device: 'CPU' },
      record: 'cpu',
      verdict: 'healthy',
      msPerStep: 1.2,
      step1: null,
      drift: null,
    },
    {
      backend: 'wasm',
      status: 'ran',
      record: 'wasm',
      verdict: 'healthy',
      msPerStep: null,
      step1: { maxRelDiff: 1e-7, worstLayer: 'dense1', loss: 0 },
      drift: {
        steps: 3,
        tolerance: 1e-3,
        lossMaxRelDiff: 1e-6,
        gradNormMaxRelDiff: null,
        firstDivergence: 'never',
      },
    },
    { backend: 'webgpu', status: 'unavailable', reason: 'no adapter' },
  ],
  layers: [
    { layer: 'dense1', maxRelDiff: { cpu: 0, wasm: null }, step1RelDiff: { cpu: 0, wasm: 1e-7 } },
  ],
};

const refusal = (run: () => unknown): GradlabError => {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(GradlabError);
    return e as GradlabError;
  }
  throw new Error('not refused');
};

describe('parseComparisonJson', () => {
  test('reads either kind as written, the value as read', () => {
    for (const c of [mitigations, backends]) {
      expect(parseComparisonJson(JSON.stringify(c), 'comparison.json')).toEqual(c);
    }
  });

  test('names the file and the problem', () => {
    const cases: [string, RegExp][] = [
      [
        '{"gradlab": 1, "kind": ',
        /^c\.json is not valid JSON \(.*\): the file is truncated or corrupt\.$/,
      ],
      [
        '{}',
        /^c\.json is not a gradlab comparison: gradlab: missing; expected the format version 1\./,
      ],
      ['"text"', /^c\.json is not a gradlab comparison: the file holds a string, not an object\./],
      [
        JSON.stringify({ ...backends, gradlab: 3 }),
        /^c\.json is in comparison format version 3, from a newer gradlab/,
      ],
      [
        JSON.stringify({ ...backends, kind: 'x'.repeat(500) }),
        /^c\.json is not a gradlab comparison: kind: "x{56}\.\.\.; expected "comparison"/,
      ],
      [
        JSON.stringify({ ...mitigations, rows: [{ record: 'r' }] }),
        /^c\.json is not a gradlab comparison: rows\.0\.variant: /,
      ],
      [
        JSON.stringify({
          ...backends,
          backends: [{ backend: 'cpu', status: 'ran', drift: { steps: -1 } }],
        }),
        /^c\.json is not a gradlab comparison: backends\.0\.drift\.steps: /,
      ],
    ];
    for (const [text, message] of cases) {
      const e = refusal(() => parseComparisonJson(text, 'c.json'));
      expect(e.code).toBe('INVALID_RECORD');
      expect(e.message).toMatch(message);
    }
  });
});

// The reader, fuzzed as the spec and sweep parsers are: whatever comparison.json holds, it reads
// or is refused with INVALID_RECORD naming the file; never a TypeError or a stack overflow.
describe('parseComparisonJson, fuzzed (1,000 inputs each)', () => {
  const readOrRefuse = (text: string) => {
    try {
      parseComparisonJson(text, 'fuzz.json');
    } catch (e) {
      expect(e).toBeInstanceOf(GradlabError);
      expect((e as GradlabError).code).toBe('INVALID_RECORD');
      expect((e as GradlabError).message).toMatch(/^fuzz\.json (is not|is in comparison format)/);
    }
  };

  test('any text as the file', () => {
    fc.assert(fc.property(jsonishText, readOrRefuse), fuzzRuns());
  });

  test('a comparison of either kind with keys deleted, misspelt, or given hostile values', () => {
    const input = fc
      .constantFrom(mitigations, backends)
      // As JSON holds them: plain values, no `undefined`.
      .map((c) => JSON.parse(JSON.stringify(c)) as Parameters<typeof mutated>[0])
      .chain(mutated);
    fc.assert(
      fc.property(input, (v) => {
        const text = jsonTextOf(v);
        if (text !== null) readOrRefuse(text);
      }),
      fuzzRuns(),
    );
  });
});
