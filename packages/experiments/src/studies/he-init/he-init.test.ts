import { wasmBackend } from '@gradlab/backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOf, numberOf, verifyFast } from '../training-measures/test-study.js';
import { heInitStudy, predictedLog2ChangePerLayer } from './he-init.js';

beforeAll(async () => {
  await wasmBackend.activate();
});

describe('predictedLog2ChangePerLayer', () => {
  it('is -1/2 for Xavier (n Var(w) = 1), 0 for He (2), +1/2 for twice He', () => {
    expect(predictedLog2ChangePerLayer(1)).toBeCloseTo(-0.5, 12);
    expect(predictedLog2ChangePerLayer(2)).toBe(0);
    expect(predictedLog2ChangePerLayer(4)).toBeCloseTo(0.5, 12);
  });
});

describe('he-init study', () => {
  it('fast: Xavier halves the signal per layer and stalls, He keeps it and trains', async () => {
    const v = await verifyFast(heInitStudy);
    for (const c of v.checks) expect(c.pass, `${c.id}: ${c.measured}`).toBe(true);

    const xavier = checkOf(v, 'xavier-signal-halves');
    expect(numberOf(xavier, 'log2PerLayer')).toBeGreaterThan(-0.6);
    expect(numberOf(xavier, 'log2PerLayer')).toBeLessThan(-0.4);
    // 28 layers at sqrt(1/2) each: about 2^-14 from the last hidden layer to the first.
    expect(numberOf(xavier, 'firstToLast')).toBeGreaterThan(2 ** -17);
    expect(numberOf(xavier, 'firstToLast')).toBeLessThan(2 ** -11);
    const he = checkOf(v, 'he-signal-constant');
    expect(Math.abs(numberOf(he, 'log2PerLayer'))).toBeLessThan(0.1);
    expect(numberOf(he, 'firstToLast')).toBeGreaterThan(0.1);
    expect(numberOf(checkOf(v, 'he-trains'), 'minDrop')).toBeGreaterThan(0.2);
    expect(numberOf(checkOf(v, 'xavier-stalls'), 'maxDrop')).toBeLessThan(0.02);

    expect(v.runs.map((r) => r.label)).toEqual(['xavier-seed0', 'he-seed0']);
    const profile = v.figures.find((f) => f.id === 'signal-profile');
    expect(new Set(profile?.points.map((p) => p.series))).toEqual(
      new Set(['Xavier, measured', 'He, measured', 'Xavier, predicted', 'He, predicted']),
    );
    expect(profile?.points.filter((p) => p.series === 'He, measured')).toHaveLength(29);
  });

  it('counterfactual: with the inits swapped, every check fails', async () => {
    const v = await verifyFast(heInitStudy, { xavierInit: 'he-normal', heInit: 'xavier-normal' });
    for (const id of ['xavier-signal-halves', 'he-signal-constant', 'he-trains', 'xavier-stalls']) {
      expect(checkOf(v, id).pass, `${id}: ${checkOf(v, id).measured}`).toBe(false);
    }
  });
});
