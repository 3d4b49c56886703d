import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { caught, expectClose, TEST_CPU_BACKEND, useCpu } from './helpers.js';

describe('@gradlab/testkit/helpers', () => {
  it('useCpu makes the tfjs CPU backend the active one', async () => {
    await useCpu();
    expect(tf.getBackend()).toBe('cpu');
    expect(TEST_CPU_BACKEND.tfjsBackend).toBe(tf.getBackend());
  });

  it('expectClose passes within rel * |expected| + abs and fails beyond it', () => {
    expectClose(100.0009, 100, 1e-5);
    expectClose(5e-8, 0);
    expect(() => expectClose(100.002, 100, 1e-5)).toThrow(/within 0\.0010001 of 100/);
    expect(() => expectClose(2e-7, 0)).toThrow(/within 1e-7 of 0/);
    expect(() => expectClose(Number.NaN, 0)).toThrow(/within/);
    expect(() => expectClose(null, 0)).toThrow();
    expect(() => expectClose(undefined, 0)).toThrow();
  });

  it('caught returns what a sync or async function throws, and fails when it throws nothing', async () => {
    const sync = await caught(() => {
      throw Object.assign(new Error('bad width'), { code: 'INVALID_SPEC' });
    });
    expect(sync).toMatchObject({ code: 'INVALID_SPEC', message: 'bad width' });
    const async = await caught(async () => Promise.reject(new Error('later')));
    expect(async.message).toBe('later');
    await expect(caught(() => 1)).rejects.toThrow('expected a throw');
  });
});
