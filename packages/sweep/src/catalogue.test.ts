import { parseSpec } from '@gradlab/core';
import { PHASE_TANH_GRIDS, phaseCellSpec, phaseSw2Values } from '@gradlab/experiments';
import { criticalSw2 } from '@gradlab/theory';
import { describe, expect, it } from 'vitest';
import { fastSweepNames, findSweep, type NamedSweep, sweeps } from './catalogue.js';
import { type Cell, expandSweep, sweepAxes } from './expand.js';
import { DEPTH_AXIS, GAIN_AXIS } from './phase-sweep.js';
import { parseSweep, type SweepSpecInput } from './schema.js';
import { presets } from './test-support.js';

const cellsOf = (sweep: SweepSpecInput): Cell[] => expandSweep(parseSweep(sweep), { presets });
const named = (name: string): NamedSweep => {
  const s = findSweep(name);
  expect(s, name).toBeDefined();
  return s as NamedSweep;
};
const axis = (cells: readonly Cell[], name: string): readonly unknown[] =>
  sweepAxes(cells).find((a) => a.name === name)?.values ?? [];

describe('the catalogue of named sweeps', () => {
  it('every sweep (and fast variant) expands to valid cells, and its title states its cell count', () => {
    for (const s of sweeps) {
      for (const v of [s, ...(s.fast ? [s.fast] : [])]) {
        const cells = cellsOf(v.sweep);
        expect(v.title, v.sweep.name).toContain(`${cells.length} cells`);
        expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
      }
    }
    expect(fastSweepNames()).toEqual(['phase-tanh']);
  });

  it('phase-tanh: sw2 as LeCun gains across the critical line x depths 10 to 200', () => {
    const s = named('phase-tanh');
    const cells = cellsOf(s.sweep);
    const grid = PHASE_TANH_GRIDS.full;
    expect(cells).toHaveLength(grid.sw2.length * grid.depths.length);
    const gains = axis(cells, GAIN_AXIS) as number[];
    expect(gains.map((g) => g ** 2)).toEqual(
      phaseSw2Values(grid).map((v) => expect.closeTo(v, 12)),
    );
    // The critical sw2 for sb2 = 0.05 is on the grid, with ordered and chaotic values on each side.
    const critical = criticalSw2('tanh', 0.05);
    expect(gains.some((g) => Math.abs(g ** 2 - critical) < 1e-9)).toBe(true);
    expect(Math.min(...gains) ** 2).toBeLessThanOrEqual(1);
    expect(Math.max(...gains) ** 2).toBeGreaterThanOrEqual(4);
    expect(axis(cells, DEPTH_AXIS)).toEqual(grid.depths);
    expect(Math.max(...grid.depths)).toBeGreaterThan(100);
    expect(s.sweep.description).toContain('Schoenholz et al. (2017');
    expect(s.sweep.description).toContain('6 xi_c');
    // Every cell is a tanh MLP on MNIST with the mean-field weights and biases at sb2 = 0.05.
    for (const c of cells) {
      expect(c.spec.data.kind).toBe('mnist');
      expect(c.spec.model).toMatchObject({
        kind: 'mlp',
        activation: 'tanh',
        init: { kind: 'lecun-normal', gain: c.params[GAIN_AXIS] },
        biasInit: { kind: 'normal', std: Math.sqrt(0.05) },
        depth: c.params[DEPTH_AXIS],
      });
      expect(c.spec.training.steps).toBe(grid.steps);
    }
  });

  it('phase-tanh --fast: a smaller sweep under its own name, cell for cell what the study trains', () => {
    const s = named('phase-tanh');
    const fast = s.fast?.sweep as SweepSpecInput;
    expect(fast.name).toBe('phase-tanh-fast');
    const cells = cellsOf(fast);
    const grid = PHASE_TANH_GRIDS.fast;
    expect(cells).toHaveLength(grid.sw2.length * grid.depths.length);
    expect(cells.length).toBeLessThan(cellsOf(s.sweep).length);
    expect(grid.steps).toBeLessThan(PHASE_TANH_GRIDS.full.steps);
    const sw2 = phaseSw2Values(grid);
    for (const c of cells) {
      const gain = c.params[GAIN_AXIS] as number;
      const match = sw2.find((v) => Math.abs(Math.sqrt(v) - gain) < 1e-12) as number;
      const depth = c.params[DEPTH_AXIS] as number;
      const study = parseSpec(phaseCellSpec(grid, { name: c.spec.name, sw2: match, depth }));
      expect(c.spec).toEqual(study);
    }
  });

  it('mitigations-x-depth: six mitigations x four depths of deep-sigmoid x three seeds', () => {
    const s = named('mitigations-x-depth');
    expect(s.sweep.base).toBe('deep-sigmoid');
    const cells = cellsOf(s.sweep);
    expect(cells).toHaveLength(6 * 4 * 3);
    expect(axis(cells, 'seed')).toEqual([0, 1, 2]);
    expect(axis(cells, 'mitigation')).toEqual([
      'none',
      'relu+he-init',
      'selu+lecun-init',
      'batchnorm',
      'layernorm',
      'residual',
    ]);
    expect(axis(cells, 'model.depth')).toEqual([5, 10, 20, 40]);
    // The mitigations change the network: not one cell is the base with another name.
    const batchnorm = cells.filter((c) => c.params.mitigation === 'batchnorm');
    for (const c of batchnorm) expect(c.spec.model).toMatchObject({ norm: 'batchnorm' });
    expect(s.fast).toBeUndefined();
  });
});
