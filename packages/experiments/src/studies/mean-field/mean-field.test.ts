import { wasmBackend } from '@gradlab/backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOf, numberOf, verifyFast } from '../../study-kit/test-study.js';
import type { MeanFieldSettings } from './settings.js';
import { meanFieldStudy } from './study.js';

beforeAll(async () => {
  await wasmBackend.activate();
});

const fast = meanFieldStudy.settings.fast;

/** A one-cell grid of one step: for counterfactuals about the chi checks only. */
const tinyGrid: Partial<MeanFieldSettings> = {
  gridSw2: ['critical'],
  gridDepths: [4],
  gridSteps: 1,
};

/** One seed and short networks, the cheapest chi part: for counterfactuals about the grid only. */
const tinyChi: Partial<MeanFieldSettings> = { seeds: [0], chiDepth: 8, chiWidth: 32 };

describe('mean-field study', () => {
  it('fast: chi_1 in every phase, the phases, and the grid against 6 xi_c', async () => {
    const v = await verifyFast(meanFieldStudy);
    for (const c of v.checks) expect(c.pass, `${c.id}: ${c.measured}`).toBe(true);
    expect(v.checks.map((c) => c.id)).toEqual(meanFieldStudy.checks?.map((c) => c.id));

    // Poole et al.'s tanh at sb2 = 0.05: chi_1 = 0.759 at sw2 = 1, 1 on the critical line
    // (sw2 = 1.761), 1.209 at sw2 = 3 (independent Gauss-Hermite quadrature, 101 nodes).
    const ordered = checkOf(v, 'chi-ordered');
    expect(numberOf(ordered, 'chi1')).toBeCloseTo(0.759, 3);
    expect(numberOf(ordered, 'measured')).toBeGreaterThan(0.72);
    expect(numberOf(ordered, 'measured')).toBeLessThan(0.8);
    const critical = checkOf(v, 'chi-critical');
    expect(numberOf(critical, 'sw2')).toBeCloseTo(1.761, 3);
    expect(numberOf(critical, 'chi1')).toBeCloseTo(1, 6);
    expect(Math.abs(numberOf(critical, 'measured') - 1)).toBeLessThan(fast.tolerance);
    const chaotic = checkOf(v, 'chi-chaotic');
    expect(numberOf(chaotic, 'chi1')).toBeCloseTo(1.209, 3);
    expect(numberOf(chaotic, 'measured')).toBeGreaterThan(1.15);
    // Each seed on its own already lands near chi_1: the agreement is not an average of misses.
    for (const c of [ordered, critical, chaotic]) {
      expect(numberOf(c, 'inPhase')).toBe(1);
      expect(numberOf(c, 'relativeDifference')).toBeLessThan(0.02);
      for (const seed of fast.seeds) {
        expect(numberOf(c, `seed${seed}`) / numberOf(c, 'chi1')).toBeGreaterThan(0.96);
        expect(numberOf(c, `seed${seed}`) / numberOf(c, 'chi1')).toBeLessThan(1.04);
      }
    }

    // The fast grid: 0.6 x 4 and the two critical cells are inside, 0.6 x 24 (2.7 x 6 xi_c) outside.
    const inside = checkOf(v, 'grid-inside-trains');
    expect(numberOf(inside, 'cells')).toBe(3);
    expect(numberOf(inside, 'sw2=0.6,depth=4')).toBeGreaterThan(0.7);
    expect(numberOf(inside, 'sw2=1.76 (critical),depth=24')).toBeGreaterThan(0.7);
    const outside = checkOf(v, 'grid-outside-fails');
    expect(numberOf(outside, 'cells')).toBe(1);
    expect(numberOf(outside, 'sw2=0.6,depth=24')).toBeLessThan(0.3);

    expect(v.runs.map((r) => r.label)).toEqual([
      'chi-ordered-seed0',
      'chi-ordered-seed1',
      'chi-critical-seed0',
      'chi-critical-seed1',
      'chi-chaotic-seed0',
      'chi-chaotic-seed1',
      'grid-sw2-0.6-depth4',
      'grid-sw2-0.6-depth24',
      'grid-sw2-critical-depth4',
      'grid-sw2-critical-depth24',
    ]);
    const signal = v.figures.find((f) => f.id === 'backward-signal');
    // 19 hidden layers, measured and predicted, for each of the three points.
    expect(signal?.points).toHaveLength(3 * 2 * (fast.chiDepth - 1));
    const grid = v.figures.find((f) => f.id === 'trainability-grid');
    expect(grid?.kind).toBe('heatmap');
    expect(grid?.points).toHaveLength(4);
    expect(grid?.caption).toContain('1.76 (critical): unbounded');
  });

  it('counterfactual: the chaotic network judged against the ordered point fails', async () => {
    const v = await verifyFast(meanFieldStudy, {
      ...tinyGrid,
      points: [
        { name: 'ordered', sw2: 1 },
        { name: 'critical', sw2: 'critical' },
        { name: 'chaotic', sw2: 3, theorySw2: 1 },
      ],
    });
    const chaotic = checkOf(v, 'chi-chaotic');
    expect(chaotic.pass, chaotic.measured).toBe(false);
    expect(numberOf(chaotic, 'theorySw2')).toBe(1);
    expect(numberOf(chaotic, 'measured')).toBeGreaterThan(1.15);
    // Judged against sw2 = 1, the theory calls the point ordered: not the chaotic one it names.
    expect(numberOf(chaotic, 'inPhase')).toBe(0);
    // The points judged against their own theory still pass: the failure is the wrong prediction.
    expect(checkOf(v, 'chi-ordered').pass).toBe(true);
    expect(checkOf(v, 'chi-critical').pass).toBe(true);
  });

  it('counterfactual: the ordered and critical networks judged against the wrong points fail', async () => {
    const v = await verifyFast(meanFieldStudy, {
      ...tinyGrid,
      seeds: [0],
      points: [
        { name: 'ordered', sw2: 1, theorySw2: 'critical' },
        { name: 'critical', sw2: 'critical', theorySw2: 3 },
        { name: 'chaotic', sw2: 3 },
      ],
    });
    expect(checkOf(v, 'chi-ordered').pass).toBe(false);
    expect(checkOf(v, 'chi-critical').pass).toBe(false);
    expect(checkOf(v, 'chi-chaotic').pass).toBe(true);
  });

  it('counterfactual: a near miss, a network at sw2 = 1.5 judged against the critical point, fails chi-critical', async () => {
    const v = await verifyFast(meanFieldStudy, {
      ...tinyGrid,
      points: [
        { name: 'ordered', sw2: 1 },
        { name: 'critical', sw2: 1.5, theorySw2: 'critical' },
        { name: 'chaotic', sw2: 3 },
      ],
    });
    const critical = checkOf(v, 'chi-critical');
    expect(critical.pass, critical.measured).toBe(false);
    expect(numberOf(critical, 'sw2')).toBe(1.5);
    expect(numberOf(critical, 'theorySw2')).toBeCloseTo(1.761, 3);
    // chi_1(1.5) = 0.939: about 6% below 1, beyond the tolerance, and ordered.
    expect(numberOf(critical, 'measured')).toBeGreaterThan(0.92);
    expect(numberOf(critical, 'measured')).toBeLessThan(0.96);
    expect(numberOf(critical, 'relativeDifference')).toBeGreaterThan(fast.tolerance);
    expect(numberOf(critical, 'inPhase')).toBe(0);
  });

  it('counterfactual: points drawn in another phase than they name fail, though each matches its own chi_1', async () => {
    const v = await verifyFast(meanFieldStudy, {
      ...tinyGrid,
      points: [
        { name: 'ordered', sw2: 'critical' },
        { name: 'critical', sw2: 1.5 },
        { name: 'chaotic', sw2: 1 },
      ],
    });
    for (const id of ['chi-ordered', 'chi-critical', 'chi-chaotic']) {
      const c = checkOf(v, id);
      expect(c.pass, `${id}: ${c.measured}`).toBe(false);
      // The theory describes each network; the phase is what is wrong.
      expect(numberOf(c, 'relativeDifference')).toBeLessThan(fast.tolerance);
      expect(numberOf(c, 'inPhase')).toBe(0);
    }
  });

  it('counterfactual: one training step, and the cells inside the line do not train', async () => {
    const v = await verifyFast(meanFieldStudy, { ...tinyChi, gridSteps: 1 });
    const inside = checkOf(v, 'grid-inside-trains');
    expect(inside.pass, inside.measured).toBe(false);
    expect(numberOf(inside, 'agreeing')).toBe(0);
  });

  it('counterfactual: residual connections make the cell beyond the line train', async () => {
    const v = await verifyFast(meanFieldStudy, {
      ...tinyChi,
      gridSw2: [0.6],
      gridDepths: [24],
      residualEvery: 1,
    });
    const outside = checkOf(v, 'grid-outside-fails');
    expect(outside.pass, outside.measured).toBe(false);
    expect(numberOf(outside, 'sw2=0.6,depth=24')).toBeGreaterThan(0.5);
  });

  it('counterfactual: a line ten times too deep calls the untrainable cell inside, and the check fails', async () => {
    const v = await verifyFast(meanFieldStudy, {
      ...tinyChi,
      gridSw2: [0.6],
      gridDepths: [24],
      insideBelow: 5,
      outsideAbove: 20,
    });
    const inside = checkOf(v, 'grid-inside-trains');
    expect(inside.pass, inside.measured).toBe(false);
    expect(numberOf(inside, 'sw2=0.6,depth=24')).toBeLessThan(0.3);
  });

  it('counterfactual: a grid with every depth inside the line does not test it', async () => {
    const v = await verifyFast(meanFieldStudy, {
      ...tinyChi,
      gridSw2: ['critical'],
      gridDepths: [4],
    });
    expect(checkOf(v, 'grid-inside-trains').pass).toBe(true);
    const outside = checkOf(v, 'grid-outside-fails');
    expect(outside.pass).toBe(false);
    expect(outside.measured).toContain('not tested');
  });
});
