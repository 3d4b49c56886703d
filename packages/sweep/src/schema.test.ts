import { describe, expect, test } from 'vitest';
import { parseSweep, parseSweepJson, sweepJsonSchema } from './schema.js';
import { depthByInit, errorOf } from './test-support.js';

describe('a sweep file', () => {
  test('the example parses, with defaults for what it leaves out', () => {
    const s = parseSweep({ gradlab: 1, name: 'd', base: 'tiny', grid: { 'model.depth': [4, 8] } });
    expect(s).toMatchObject({ mitigations: ['none'], backends: ['auto'], variants: [] });
    expect(s.seeds).toBeUndefined();
    expect(parseSweep(depthByInit).grid).toEqual(depthByInit.grid);
  });

  test('an empty list of values names the path and says what is wrong', () => {
    const e = errorOf(() => parseSweep({ ...depthByInit, grid: { 'model.depth': [] } }, 'x.json'));
    expect(e.code).toBe('INVALID_SWEEP');
    expect(e.message).toContain('x.json is not a valid gradlab sweep');
    expect(e.details).toEqual([
      'grid["model.depth"]: an empty list of values makes no cells: give at least one value; got []',
    ]);
  });

  test('an empty grid with nothing else to vary is refused', () => {
    const e = errorOf(() => parseSweep({ gradlab: 1, name: 'd', base: 'tiny', grid: {} }));
    expect(e.details[0]).toMatch(/^grid: is empty and nothing else varies: .*; got \{\}$/);
    // Mitigations alone are something to sweep.
    expect(
      parseSweep({ gradlab: 1, name: 'd', base: 'tiny', mitigations: ['none', 'residual'] }),
    ).toBeTruthy();
  });

  test('every bad field is named with its value, in one message', () => {
    const e = errorOf(() =>
      parseSweep({
        gradlab: 2,
        name: 'my sweep',
        base: 'tiny',
        grid: { 'model.depth': 4 },
        seeds: [-1],
        backends: [],
      }),
    );
    expect(e.details).toEqual([
      'gradlab: Invalid input: expected 1; got 2',
      'name: expected up to 100 letters, digits, ".", "_" or "-", starting with a letter or digit (it names the default directory runs/sweep-<name>); got "my sweep"',
      'grid["model.depth"]: Invalid input: expected array, received number; got 4',
      'seeds[0]: Too small: expected number to be >=0; got -1',
      'backends: give at least one backend, or leave "backends" out for "auto"; got []',
    ]);
  });

  test('an inline base is validated as a spec, its fields named under base', () => {
    const e = errorOf(() =>
      parseSweep({
        ...depthByInit,
        base: {
          gradlab: 1,
          data: { kind: 'teacher' },
          model: { kind: 'mlp', depth: 0, width: 8 },
        },
      }),
    );
    expect(e.details).toEqual(['base.model.depth: Too small: expected number to be >=1; got 0']);
  });

  test('the seed cannot be swept twice', () => {
    const e = errorOf(() => parseSweep({ ...depthByInit, grid: { seed: [1, 2] }, seeds: [0] }));
    expect(e.details[0]).toBe(
      'grid["seed"]: the seed is swept twice: give "seeds" or grid["seed"], not both; got [1,2]',
    );
  });

  test('malformed JSON is named with its source', () => {
    const e = errorOf(() => parseSweepJson('{"gradlab": ', 'depth.json'));
    expect(e.code).toBe('INVALID_SWEEP');
    expect(e.message).toMatch(/^depth\.json is not valid JSON/);
  });

  test('the JSON Schema describes every field, the base as a preset or a spec', () => {
    const schema = sweepJsonSchema() as {
      properties: Record<string, { description?: string; anyOf?: unknown[] }>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual([
      '$schema',
      'gradlab',
      'name',
      'description',
      'base',
      'grid',
      'mitigations',
      'seeds',
      'backends',
      'variants',
    ]);
    expect(schema.required).toEqual(['gradlab', 'name', 'base']);
    expect(schema.properties.base?.anyOf).toHaveLength(2);
    expect(JSON.stringify(schema.properties.base)).toContain('"model"');
    expect(schema.properties.grid?.description).toContain('dotted path');
  });
});
