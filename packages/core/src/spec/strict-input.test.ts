import { describe, expect, test } from 'vitest';
import { GradlabError } from '../errors.js';
import { caught } from '../test-support.js';
import { experimentJsonSchema } from './json-schema.js';
import { MAX_NESTING } from './nesting.js';
import { parseSpec, parseSpecJson } from './validate.js';

const minimal = () => ({
  gradlab: 1,
  data: { kind: 'teacher' },
  model: { kind: 'mlp', depth: 3, width: 8 },
});

async function refusal(run: () => unknown): Promise<GradlabError> {
  const e = await caught(run);
  expect(e).toBeInstanceOf(GradlabError);
  expect((e as GradlabError).code).toBe('INVALID_SPEC');
  return e as GradlabError;
}

describe('unknown fields are errors, with the likely field', () => {
  test('a misspelt training field', async () => {
    const e = await refusal(() => parseSpec({ ...minimal(), training: { stpes: 5 } }));
    expect(e.details).toHaveLength(1);
    expect(e.details[0]).toMatch(
      /^training: unknown field "stpes" \(given 5\); did you mean `steps`\? The fields here: steps, batchSize, /,
    );
  });

  test('inside a discriminated union, at the top level, and with nothing close', async () => {
    const e = await refusal(() =>
      parseSpec({
        ...minimal(),
        sed: 3,
        training: { optimizer: { kind: 'adam', lr: 0.1, beta: 0.9 } },
        diagnostics: { thresholds: { zzz: 1 } },
      }),
    );
    const line = (path: string) => e.details.find((d) => d.startsWith(`${path}: `));
    expect(line('(spec)')).toMatch(
      /unknown field "sed" \(given 3\); did you mean `seed`\?.*put free text in `description`$/,
    );
    expect(line('training.optimizer')).toMatch(/unknown field "beta" .*did you mean `beta1`\?/);
    expect(line('diagnostics.thresholds')).toMatch(
      /^diagnostics\.thresholds: unknown field "zzz" \(given 1\); the fields here: vanishingRatio, /,
    );
    expect(line('diagnostics.thresholds')).not.toContain('did you mean');
  });

  test('free text has a place: description', () => {
    expect(parseSpec({ ...minimal(), description: 'why this run exists' }).description).toBe(
      'why this run exists',
    );
  });

  test('the JSON Schema forbids other properties at every level', () => {
    const schema = JSON.stringify(experimentJsonSchema());
    expect(experimentJsonSchema().additionalProperties).toBe(false);
    const objects = schema.match(/"type":"object"/g)?.length ?? 0;
    const closed = schema.match(/"additionalProperties":false/g)?.length ?? 0;
    expect(objects).toBeGreaterThan(20);
    expect(closed).toBe(objects);
  });
});

describe('nesting depth', () => {
  const deep = (levels: number) => {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = { x: v };
    return v;
  };

  test('10,000 levels are refused naming where it got too deep and the limit', async () => {
    const e = await refusal(() => parseSpec({ ...minimal(), model: deep(10_000) }));
    expect(e.details).toHaveLength(1);
    expect(e.details[0]).toMatch(
      new RegExp(
        `^model\\.x\\.x\\.\\.\\.\\(\\d+ more levels\\)\\.\\.\\.\\.x\\.x: nested too deep: .*level ${MAX_NESTING + 1}; at most ${MAX_NESTING} levels`,
      ),
    );
    const text = `{"gradlab": 1, "model": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const fromText = await refusal(() => parseSpecJson(text, 'deep.json'));
    expect(fromText.message).toMatch(
      /^deep\.json is not a valid gradlab experiment:\n {2}model\[0\]\[0\]/,
    );
  });

  test('the limit itself is allowed through to the schema', async () => {
    const e = await refusal(() => parseSpec({ ...minimal(), model: deep(MAX_NESTING - 1) }));
    expect(e.message).not.toContain('nested too deep');
  });
});

describe('a byte-order mark', () => {
  test('at the start of a spec file is dropped', () => {
    const spec = parseSpecJson(`\uFEFF${JSON.stringify(minimal())}`, 'bom.json');
    expect(spec.model).toMatchObject({ kind: 'mlp', depth: 3 });
  });

  test('anywhere else is still not JSON', async () => {
    const e = await refusal(() => parseSpecJson(` \uFEFF${JSON.stringify(minimal())}`, 'bom.json'));
    expect(e.message).toMatch(/^bom\.json is not valid JSON/);
  });
});
