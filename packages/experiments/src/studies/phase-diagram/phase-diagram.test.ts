import { wasmBackend } from '@gradlab/backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOf, numberOf, verifyFast } from '../../study-kit/test-study.js';
import { PHASE_TANH_GRIDS } from './phase-grid.js';
import type { PhaseDiagramSettings } from './settings.js';
import { phaseDiagramStudy } from './study.js';

beforeAll(async () => {
  await wasmBackend.activate();
});

const fast = phaseDiagramStudy.settings.fast;
const IDS = ['critical-deeper-than-ordered', 'critical-deeper-than-chaotic'];

/** The fast grid with other fields: a counterfactual. */
const withGrid = (grid: Partial<PhaseDiagramSettings['grid']>): Partial<PhaseDiagramSettings> => ({
  grid: { ...fast.grid, ...grid },
});

describe('phase-diagram study', () => {
  it('judges, at full scale, exactly the grid of `gradlab sweep phase-tanh --fast`', () => {
    expect(phaseDiagramStudy.settings.full.grid).toBe(PHASE_TANH_GRIDS.fast);
    // The test scale keeps what the claim rests on: sb2, the width, sw2 on both sides and on the line.
    expect(fast.grid.sb2).toBe(PHASE_TANH_GRIDS.fast.sb2);
    expect(fast.grid.width).toBe(PHASE_TANH_GRIDS.fast.width);
    expect(fast.grid.sw2).toEqual([1, 'critical', 4]);
  });

  it('fast: the critical network trains deeper than the ordered and the chaotic one', async () => {
    const v = await verifyFast(phaseDiagramStudy);
    for (const c of v.checks) expect(c.pass, `${c.id}: ${c.measured}`).toBe(true);
    expect(v.checks.map((c) => c.id)).toEqual(phaseDiagramStudy.checks?.map((c) => c.id));
    for (const id of IDS) {
      const c = checkOf(v, id);
      // sw2 = 1.761, chi_1 = 1: depth 40 trains there, only depth 10 far from it.
      expect(numberOf(c, 'nearSw2')).toBeCloseTo(1.761, 3);
      expect(numberOf(c, 'nearChi1')).toBeCloseTo(1, 6);
      expect(numberOf(c, 'nearDeepest')).toBe(40);
      expect(numberOf(c, 'farDeepest')).toBe(10);
      expect(numberOf(c, 'farColumns')).toBe(1);
    }
    expect(numberOf(checkOf(v, IDS[0] as string), 'deepest at sw2=1')).toBe(10);
    expect(numberOf(checkOf(v, IDS[1] as string), 'deepest at sw2=4')).toBe(10);
    expect(v.runs.map((r) => r.label)).toEqual([
      'sw2-1-depth10',
      'sw2-1-depth40',
      'sw2-critical-depth10',
      'sw2-critical-depth40',
      'sw2-4-depth10',
      'sw2-4-depth40',
    ]);
    const heatmap = v.figures.find((f) => f.id === 'phase-diagram');
    expect(heatmap?.kind).toBe('heatmap');
    expect(heatmap?.points).toHaveLength(6);
    expect(heatmap?.caption).toContain('1.76 (critical): unbounded');
    const deepest = v.figures.find((f) => f.id === 'deepest-trained');
    // 6 xi_c is 21.8 at sw2 = 1; on the line (infinite) and at sw2 = 4 (41.9) it is clipped at
    // the grid's deepest depth, 40.
    expect(deepest?.points.filter((p) => p.series.startsWith('6 xi_c')).map((p) => p.y)).toEqual([
      expect.closeTo(21.8, 1),
      40,
      40,
    ]);
  });

  it('counterfactual: one training step, and no depth trains anywhere', async () => {
    const v = await verifyFast(phaseDiagramStudy, withGrid({ steps: 1 }));
    for (const id of IDS) {
      const c = checkOf(v, id);
      expect(c.pass, c.measured).toBe(false);
      expect(numberOf(c, 'nearDeepest')).toBe(0);
      expect(numberOf(c, 'farDeepest')).toBe(0);
    }
  });

  it('counterfactual: a grid without a near-critical sw2 does not test the claim', async () => {
    const v = await verifyFast(
      phaseDiagramStudy,
      withGrid({ sw2: [1, 1.5, 4], depths: [10], steps: 1 }),
    );
    for (const id of IDS) {
      const c = checkOf(v, id);
      expect(c.pass).toBe(false);
      expect(c.measured).toContain('not tested');
      expect(c.values?.nearSw2).toBeNull();
    }
  });
});
