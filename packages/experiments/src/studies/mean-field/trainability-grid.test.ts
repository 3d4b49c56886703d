import { GradlabError, parseSpec } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import { gridCellSpec, sw2Label } from '../../study-kit/tanh-grid.js';
import { type ZoneCheckOptions, zoneCheck } from './checks.js';
import { type GridCell, zoneOf } from './trainability-grid.js';

describe('zoneOf', () => {
  it('splits depths at the given multiples of the line 6 xi_c', () => {
    // sw2 = 0.6, sb2 = 0.05: 6 xi_c = 8.9.
    expect(zoneOf(4, 8.9, 0.5, 2)).toBe('inside');
    expect(zoneOf(8, 8.9, 0.5, 2)).toBe('near');
    expect(zoneOf(17.8, 8.9, 0.5, 2)).toBe('outside');
    expect(zoneOf(24, 8.9, 0.5, 2)).toBe('outside');
  });

  it('puts every depth inside on the critical line, where 6 xi_c is unbounded', () => {
    expect(zoneOf(1000, Number.POSITIVE_INFINITY, 0.5, 2)).toBe('inside');
  });

  it('refuses bounds that are not 0 < insideBelow <= outsideAbove', () => {
    expect(() => zoneOf(4, 8, 0, 2)).toThrow(GradlabError);
    expect(() => zoneOf(4, 8, 3, 2)).toThrow(/insideBelow = 3, outsideAbove = 2/);
  });
});

describe('sw2Label', () => {
  it('rounds to three digits and marks the critical line', () => {
    expect(sw2Label(0.6, 0.6)).toBe('0.6');
    expect(sw2Label('critical', 1.760954639)).toBe('1.76 (critical)');
  });
});

const options: ZoneCheckOptions = {
  trainedAccuracy: 0.5,
  minAgreement: 0.8,
  insideBelow: 0.5,
  outsideAbove: 2,
};

function cell(depth: number, trainableDepth: number, accuracy: number): GridCell {
  return {
    sw2: 1,
    sw2Value: 1,
    depth,
    trainableDepth,
    zone: zoneOf(depth, trainableDepth, options.insideBelow, options.outsideAbove),
    accuracy,
    trained: accuracy >= options.trainedAccuracy,
  };
}

describe('zoneCheck', () => {
  const inside = [4, 5, 6, 7, 8].map((d) => cell(d, 20, 0.9));
  const outside = [40, 50].map((d) => cell(d, 20, 0.1));

  it('passes when the cells on each side agree with the line', () => {
    expect(zoneCheck('inside', [...inside, ...outside], options).pass).toBe(true);
    const out = zoneCheck('outside', [...inside, ...outside], options);
    expect(out.pass).toBe(true);
    expect(out.values).toMatchObject({ cells: 2, agreeing: 2, fraction: 1 });
  });

  it('tolerates disagreeing cells up to 1 - minAgreement, and names them', () => {
    const oneOff = [...inside.slice(1), cell(4, 20, 0.3)];
    const check = zoneCheck('inside', oneOff, options);
    expect(check.values).toMatchObject({ cells: 5, agreeing: 4, fraction: 0.8 });
    expect(check.pass).toBe(true);
    expect(check.measured).toContain('not: sw2=1,depth=4 30.0%');
    const twoOff = [...oneOff.slice(1), cell(5, 20, 0.2)];
    expect(zoneCheck('inside', twoOff, options).pass).toBe(false);
  });

  it('fails when a cell beyond the line trains', () => {
    const check = zoneCheck('outside', [cell(40, 20, 0.1), cell(50, 20, 0.6)], options);
    expect(check.pass).toBe(false);
    expect(check.values).toMatchObject({ agreeing: 1, fraction: 0.5 });
  });

  it('fails, saying so, when no cell lies on that side of the line', () => {
    const check = zoneCheck('outside', inside, options);
    expect(check.pass).toBe(false);
    expect(check.measured).toContain('not tested');
    expect(check.values).toMatchObject({ cells: 0 });
    // Cells near the line are judged on neither side.
    expect(zoneCheck('inside', [cell(20, 20, 0.9)], options).pass).toBe(false);
  });
});

describe('gridCellSpec', () => {
  const base = {
    name: 'cell',
    seed: 0,
    sw2: 2,
    sb2: 0.05,
    depth: 5,
    width: 16,
    steps: 10,
    batchSize: 8,
    lr: 1e-3,
    samples: 100,
    residualEvery: null,
  };

  it('is a valid spec of a plain tanh MLP with mean-field weights and biases, trained by SGD', () => {
    const spec = parseSpec(gridCellSpec(base));
    expect(spec.model).toMatchObject({
      kind: 'mlp',
      depth: 5,
      activation: 'tanh',
      init: { kind: 'lecun-normal', gain: Math.sqrt(2) },
      biasInit: { kind: 'normal', std: Math.sqrt(0.05) },
      residual: null,
    });
    expect(spec.training.optimizer).toEqual({ kind: 'sgd', lr: 1e-3 });
    expect(spec.data).toMatchObject({ kind: 'mnist', samples: 100 });
  });

  it('adds identity skips for the residual counterfactual', () => {
    const spec = parseSpec(gridCellSpec({ ...base, residualEvery: 1 }));
    expect(spec.model).toMatchObject({ residual: { every: 1 } });
  });
});
