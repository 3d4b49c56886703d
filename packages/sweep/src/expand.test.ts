import { parseSpec } from '@gradlab/core';
import { applyMitigations } from '@gradlab/mitigations';
import { describe, expect, test } from 'vitest';
import { expandSweep, sweepAxes } from './expand.js';
import { canonicalJson, cellId } from './ids.js';
import { parseSweep, type SweepSpecInput } from './schema.js';
import { depthByInit, errorOf, presets } from './test-support.js';

const expand = (s: SweepSpecInput) => expandSweep(parseSweep(s), { presets }, 'my.json');

describe('expanding a sweep', () => {
  test('the example makes 16 cells, every combination once, in order', () => {
    const cells = expand(depthByInit);
    expect(cells).toHaveLength(16);
    expect(cells[0]?.params).toEqual({
      'model.depth': 4,
      'model.init': 'xavier-normal',
      mitigation: 'none',
      seed: 0,
      backend: 'wasm',
    });
    // First grid path slowest, then mitigations, then seeds (one backend).
    expect(cells.slice(0, 4).map((c) => [c.params.mitigation, c.params.seed])).toEqual([
      ['none', 0],
      ['none', 1],
      ['batchnorm', 0],
      ['batchnorm', 1],
    ]);
    expect(cells[15]?.params).toMatchObject({ 'model.depth': 8, 'model.init': 'he-normal' });
    const combos = new Set(cells.map((c) => canonicalJson(c.params)));
    expect(combos.size).toBe(16);
  });

  test("each cell's spec is the base with its params applied, validated", () => {
    const cells = expand(depthByInit);
    const cell = cells.find(
      (c) =>
        c.params['model.depth'] === 8 &&
        c.params['model.init'] === 'he-normal' &&
        c.params.mitigation === 'batchnorm' &&
        c.params.seed === 1,
    );
    const tiny = parseSpec(presets.tiny);
    const expected = applyMitigations(
      parseSpec({
        ...tiny,
        seed: 1,
        model: { ...tiny.model, depth: 8, init: 'he-normal' },
      }),
      'batchnorm',
    );
    expect(cell?.spec).toEqual(expected);
    expect(cell?.spec.name).toBe('tiny+batchnorm');
    expect(cell?.backend).toBe('wasm');
  });

  test('ids: the same spec and backend give the same id, anything else another', () => {
    const a = expand(depthByInit);
    const b = expand(depthByInit);
    expect(a.map((c) => c.id)).toEqual(b.map((c) => c.id));
    expect(new Set(a.map((c) => c.id)).size).toBe(16);
    for (const c of a) expect(c.id).toMatch(/^[0-9a-f]{16}$/);
    // Derived from the resolved spec, not from how the sweep was written: a reordered grid
    // (other params order) and a cell written as a variant have the ids of the same specs.
    const reordered = expand({
      ...depthByInit,
      grid: { 'model.init': ['he-normal', 'xavier-normal'], 'model.depth': [8, 4] },
    });
    expect(new Set(reordered.map((c) => c.id))).toEqual(new Set(a.map((c) => c.id)));
    const one = a[5];
    const keyOrder = JSON.parse(JSON.stringify(one?.spec), (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).reverse())
        : v,
    );
    expect(cellId(keyOrder, 'wasm')).toBe(one?.id);
    expect(cellId(one?.spec, 'cpu')).not.toBe(one?.id);
  });

  test('variants are extra points; a cell that comes out twice is kept once', () => {
    const cells = expand({
      gradlab: 1,
      name: 'v',
      base: 'tiny',
      grid: { 'model.depth': [4, 8] },
      variants: [{ 'model.depth': 12, 'model.width': 8 }, { 'model.depth': 4 }],
      backends: ['cpu', 'wasm'],
    });
    // 2 grid points + 1 new variant, the other variant repeats a grid point; 2 backends each.
    expect(cells).toHaveLength(6);
    expect(cells[4]?.params).toEqual({
      'model.depth': 12,
      'model.width': 8,
      mitigation: 'none',
      seed: 0,
      backend: 'cpu',
    });
    expect(sweepAxes(cells)).toEqual([
      { name: 'model.depth', values: [4, 8, 12] },
      { name: 'mitigation', values: ['none'] },
      { name: 'seed', values: [0] },
      { name: 'backend', values: ['cpu', 'wasm'] },
      { name: 'model.width', values: [8] },
    ]);
  });

  test('a path through a null field builds it, and the spec judges the result', () => {
    const cells = expand({
      gradlab: 1,
      name: 'clip',
      base: 'tiny',
      grid: { 'training.clip': [null, { kind: 'global-norm', maxNorm: 1 }] },
    });
    expect(cells[1]?.spec.training.clip).toEqual({
      kind: 'global-norm',
      maxNorm: 1,
      errorIfNonFinite: false,
    });
    const e = errorOf(() => expand({ ...depthByInit, grid: { 'training.clip.maxNorm': [1] } }));
    expect(e.details[0]).toMatch(
      /^grid\["training\.clip\.maxNorm"\]\[0\]: 1 is not accepted: training\.clip\.kind: /,
    );
  });
});

describe('bad sweeps are refused before anything runs, naming the path and value', () => {
  test('an unknown path, with the fields there are and the likely one', () => {
    const e = errorOf(() => expand({ ...depthByInit, grid: { 'model.dpeth': [4, 8] } }));
    expect(e.code).toBe('INVALID_SWEEP');
    expect(e.message).toMatch(/^my\.json is not a valid gradlab sweep:/);
    expect(e.details).toEqual([
      'grid["model.dpeth"]: no such field in the spec: model has model.kind, model.depth, model.width, model.activation, model.init, model.norm, model.residual, model.leakyAlpha, model.preluInit. Did you mean "model.depth"?',
    ]);
    const top = errorOf(() => expand({ ...depthByInit, grid: { 'modle.depth': [4] } }));
    expect(top.details[0]).toMatch(
      /^grid\["modle\.depth"\]: no such field in the spec: the spec has gradlab, name, seed, .*Did you mean "model"\?$/,
    );
  });

  test('a value the spec rejects, by its index, with the spec’s reason', () => {
    const e = errorOf(() =>
      expand({ ...depthByInit, grid: { 'model.depth': [4, 0], 'model.init': ['he-nromal'] } }),
    );
    expect(e.details).toHaveLength(2);
    expect(e.details[0]).toBe(
      'grid["model.depth"][1]: 0 is not accepted: model.depth: Too small: expected number to be >=1; got 0',
    );
    expect(e.details[1]).toMatch(
      /^grid\["model\.init"\]\[0\]: "he-nromal" is not accepted: model\.init: /,
    );
  });

  test('a path through a number, and one that is not a path', () => {
    const e = errorOf(() =>
      expand({ ...depthByInit, grid: { 'model.depth.x': [1], 'model..depth': [1] } }),
    );
    expect(e.details).toEqual([
      'grid["model.depth.x"][0]: 1 is not accepted: model.depth is 4, which has no fields',
      'grid["model..depth"]: "model..depth" is not a dotted path of spec fields, such as "model.depth" or "training.optimizer.lr"',
    ]);
  });

  test('an unknown mitigation, by its index', () => {
    const e = errorOf(() => expand({ ...depthByInit, mitigations: ['none', 'batchnrom'] }));
    expect(e.details[0]).toMatch(/^mitigations\[1\]: unknown mitigation "batchnrom"/);
  });

  test('a mitigation that does not apply to a cell names the cell', () => {
    const e = errorOf(() => expand({ ...depthByInit, mitigations: ['none', 'lstm'] }));
    expect(e.details).toEqual([
      'mitigations[1] on the cell {"model.depth":4,"model.init":"xavier-normal","seed":0}: lstm does not apply here: the model is an MLP; lstm swaps the cell of a recurrent net (a spec with sequence data, data.kind "adding", and model.kind "rnn", "lstm" or "gru")',
    ]);
  });

  test('a combination the spec rejects names the cell', () => {
    // Each value is fine alone on the base (depth 4); together, the width list is too short.
    const e = errorOf(() =>
      expand({ ...depthByInit, grid: { 'model.depth': [4, 5], 'model.width': [[8, 8, 8]] } }),
    );
    expect(e.details).toHaveLength(4); // depth 5, each mitigation and seed
    expect(e.details[0]).toMatch(
      /^the cell \{"model\.depth":5,"model\.width":\[8,8,8\],"seed":0\}: its spec is not accepted: model\.width: has 3 entries/,
    );
  });

  test('an unknown preset lists the known ones', () => {
    const e = errorOf(() => expand({ ...depthByInit, base: 'tiyn' }));
    expect(e.details[0]).toMatch(/^base: there is no preset "tiyn"; known presets: .*tiny/);
  });
});
