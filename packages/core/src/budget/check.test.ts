import { describe, expect, test } from 'vitest';
import { isGradlabError } from '../errors.js';
import { tinySpec } from '../test-support.js';
import { assertWithinBudget, budgetProblem } from './check.js';
import { estimateBudget } from './estimate.js';
import { memoryLimit } from './machine-limit.js';

const huge = tinySpec({ model: { kind: 'mlp', depth: 1000, width: 8192 } });
const tiny = tinySpec();

describe('the budget check', () => {
  test('depth 1000 x width 8192 needs hundreds of GiB', () => {
    const e = estimateBudget(huge);
    // 998 hidden 8192 x 8192 kernels alone: 6.7e10 parameters.
    expect(e.parameters).toBeGreaterThan(998 * 8192 * 8192);
    expect(e.bytes.total).toBeGreaterThan(4 * e.parameters * 4);
  });

  test('a limit just above or below the estimate decides', () => {
    const total = estimateBudget(tiny).bytes.total;
    expect(budgetProblem(tiny, { bytes: total, source: 'test' })).toBeNull();
    expect(budgetProblem(tiny, { bytes: total - 1, source: 'test' })).toMatch(/the limit is/);
  });

  test('the error names the estimate, the limit and where the limit came from', () => {
    let error: unknown;
    try {
      assertWithinBudget(huge, { bytes: 4 * 2 ** 30, source: 'GRADLAB_MAX_MEMORY=4GiB' });
    } catch (e) {
      error = e;
    }
    expect(isGradlabError(error) && error.code).toBe('OVER_BUDGET');
    const message = (error as Error).message;
    expect(message).toMatch(/needs about [\d.]+ TiB \(6\.7e10 parameters/);
    expect(message).toContain('the limit is 4.00 GiB (GRADLAB_MAX_MEMORY=4GiB)');
    expect(message).toMatch(/FLOP per step/);
  });
});

describe('memoryLimit', () => {
  test('GRADLAB_MAX_MEMORY when set', () => {
    expect(memoryLimit({ GRADLAB_MAX_MEMORY: '4GiB' }, 64 * 2 ** 30)).toEqual({
      bytes: 4 * 2 ** 30,
      source: 'GRADLAB_MAX_MEMORY=4GiB',
    });
  });

  test("75% of the machine's memory otherwise", () => {
    const limit = memoryLimit({}, 16 * 2 ** 30);
    expect(limit.bytes).toBe(12 * 2 ** 30);
    expect(limit.source).toMatch(/^75% of this machine's 16.0 GiB; set GRADLAB_MAX_MEMORY/);
  });

  test('a bad value is an error, not the default', () => {
    expect(() => memoryLimit({ GRADLAB_MAX_MEMORY: 'plenty' })).toThrow(/not a size/);
  });
});
