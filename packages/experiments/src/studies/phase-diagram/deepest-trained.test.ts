import { describe, expect, it } from 'vitest';
import { deeperThanCheck } from './checks.js';
import { columnsOf, type PhaseCell, sideOf } from './deepest-trained.js';

const options = { nearBand: 0.01, farBand: 0.15, trainedAccuracy: 0.5 };

/** Cells of one sw2 column; `trained` lists the depths that reached the accuracy. */
function column(sw2: number, chi1: number, depths: number[], trained: number[]): PhaseCell[] {
  return depths.map((depth) => ({
    sw2,
    sw2Value: sw2,
    depth,
    chi1,
    trainableDepth: 6 / -Math.log(chi1),
    accuracy: trained.includes(depth) ? 0.9 : 0.1,
    trained: trained.includes(depth),
  }));
}

describe('sideOf', () => {
  it('near within the band of chi_1 = 1, far beyond the far band, between otherwise', () => {
    expect(sideOf(1.005, 0.01, 0.15)).toBe('near');
    expect(sideOf(0.94, 0.01, 0.15)).toBe('between');
    expect(sideOf(0.76, 0.01, 0.15)).toBe('ordered');
    expect(sideOf(1.34, 0.01, 0.15)).toBe('chaotic');
  });
});

describe('deeperThanCheck', () => {
  const depths = [10, 40, 70];
  const ordered = column(1, 0.759, depths, [10]);
  const critical = column(1.761, 1, depths, [10, 40]);
  const chaotic = column(4, 1.342, depths, [10, 40]);

  it('columnsOf: the deepest trained depth per sw2, 0 when none trained', () => {
    const columns = columnsOf([...ordered, ...column(2, 1.05, depths, [])]);
    expect(columns.map((c) => c.deepestTrained)).toEqual([10, 0]);
    // Not the deepest depth tried, nor the first trained one: a gap in the middle counts the deeper.
    expect(columnsOf(column(1, 0.759, depths, [10, 70]))[0]?.deepestTrained).toBe(70);
  });

  it('passes when the near-critical column trains strictly deeper', () => {
    const check = deeperThanCheck('ordered', columnsOf([...ordered, ...critical]), options);
    expect(check.pass, check.measured).toBe(true);
    expect(check.values?.nearDeepest).toBe(40);
    expect(check.values?.farDeepest).toBe(10);
  });

  it('fails when the far side trains as deep: as deep is not deeper', () => {
    const check = deeperThanCheck('chaotic', columnsOf([...critical, ...chaotic]), options);
    expect(check.pass).toBe(false);
    expect(check.measured).toContain('depth 40');
  });

  it('fails, not tested, without a near-critical column or a far column on the side', () => {
    const noNear = deeperThanCheck('ordered', columnsOf([...ordered, ...chaotic]), options);
    expect(noNear.pass).toBe(false);
    expect(noNear.measured).toContain('not tested');
    const noFar = deeperThanCheck('chaotic', columnsOf([...ordered, ...critical]), options);
    expect(noFar.pass).toBe(false);
    expect(noFar.measured).toContain('no sw2 of the grid is chaotic');
  });
});
