import { describe, expect, test } from 'vitest';
import { estimateSweepSeconds, formatDuration, stepSeconds } from './estimate.js';
import { expandSweep } from './expand.js';
import { parseSweep } from './schema.js';
import { depthByInit, presets } from './test-support.js';

const cells = expandSweep(parseSweep(depthByInit), { presets });

describe('the time estimate', () => {
  test('grows with depth, width and the backend’s cost per step', () => {
    const [shallow, deep] = [cells[0], cells[15]];
    if (!shallow || !deep) throw new Error('no cells');
    expect(stepSeconds(deep.spec, 'wasm')).toBeGreaterThan(stepSeconds(shallow.spec, 'wasm'));
    const wide = { ...shallow.spec, model: { ...shallow.spec.model, width: 1024 } };
    expect(stepSeconds(wide as typeof shallow.spec, 'wasm')).toBeGreaterThan(
      10 * stepSeconds(shallow.spec, 'wasm'),
    );
    expect(stepSeconds(shallow.spec, 'cpu')).toBeGreaterThan(stepSeconds(shallow.spec, 'blas'));
  });

  test('divides the cells among the workers that get a core', () => {
    const one = estimateSweepSeconds(cells, 1, 2);
    const two = estimateSweepSeconds(cells, 2, 2);
    expect(two).toBeLessThan(one);
    expect(estimateSweepSeconds(cells, 8, 2)).toBe(two); // more workers than cores: no faster
    expect(estimateSweepSeconds([], 2, 2)).toBe(0);
  });

  test('reads at the precision an estimate deserves', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(4 * 3600)).toBe('4.0 h');
  });
});
