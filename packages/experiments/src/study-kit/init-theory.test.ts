import { initVariance } from '@gradlab/theory';
import { describe, expect, it } from 'vitest';
import { layerInit, theoryInit } from './init-theory.js';

describe('theoryInit', () => {
  it('passes the initialisers the theory knows through, and normal/uniform by their size', () => {
    expect(theoryInit('he-normal', 64, 64, 'init')).toBe('he-normal');
    expect(theoryInit({ kind: 'xavier-uniform' }, 64, 32, 'init')).toBe('xavier-uniform');
    expect(theoryInit({ kind: 'normal', std: 0.1 }, 64, 64, 'init')).toEqual({
      kind: 'normal',
      std: 0.1,
    });
    expect(theoryInit({ kind: 'uniform', limit: 0.2 }, 64, 64, 'init')).toEqual({
      kind: 'uniform',
      limit: 0.2,
    });
  });

  it("turns a gain into a normal of the scaled variance (gain^2 times the initialiser's)", () => {
    const scaled = theoryInit({ kind: 'lecun-normal', gain: 3 }, 50, 20, 'init');
    expect(initVariance(scaled, 50, 20)).toBeCloseTo(9 / 50, 15);
    const he = theoryInit({ kind: 'he-uniform', gain: 0.5 }, 10, 10, 'init', 0.25);
    expect(initVariance(he, 10, 10)).toBeCloseTo((0.25 * 2) / ((1 + 0.0625) * 10), 15);
  });

  it('refuses kernels that are not random, naming the field and the value', () => {
    for (const init of ['zeros', 'identity', { kind: 'constant', value: 0.1 }] as const) {
      expect(() => theoryInit(init, 8, 8, 'settings.arm.init')).toThrow(
        /settings\.arm\.init is .*; allowed: a random initialiser/,
      );
    }
  });
});

describe('layerInit', () => {
  it("one initialiser for every layer, or the layer's own from a list", () => {
    expect(layerInit('he-normal', 5)).toBe('he-normal');
    expect(layerInit(['he-normal', { kind: 'normal', std: 1 }], 1)).toEqual({
      kind: 'normal',
      std: 1,
    });
    expect(() => layerInit(['he-normal'], 3)).toThrow(/init has 1 entries; dense layer 4 has none/);
  });
});
