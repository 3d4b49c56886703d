/** The soak catches what it is for: a tensor leaked per step, host memory retained per step. */
import type { RunListener } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuOracle } from './self-test/oracle.js';
import { runSoak, soakFailures } from './soak.js';

const STEPS = 60;
const WARMUP = 10;
const MiB = 2 ** 20;

beforeAll(async () => {
  await cpuOracle.activate();
});

describe('the soak, on a short run', () => {
  it('a clean run passes', async () => {
    const f = await runSoak(cpuOracle.name, STEPS, WARMUP);
    expect(f.fullSteps).toBe(STEPS);
    expect(soakFailures(f, STEPS, 64 * MiB)).toEqual([]);
  });

  it('one tensor leaked per step fails it', async () => {
    const leaked: tf.Tensor[] = [];
    const leak: RunListener = (e) => void (e.type === 'step' && leaked.push(tf.zeros([4])));
    const f = await runSoak(cpuOracle.name, STEPS, WARMUP, [leak]);
    tf.dispose(leaked);
    expect(soakFailures(f, STEPS, 64 * MiB)).toEqual([
      expect.stringMatching(/^live tensors went from \d+ .* at step 10 to \d+ .* at step 60$/),
    ]);
    expect(f.end.numTensors - f.start.numTensors).toBe(STEPS - WARMUP);
  });

  it('host memory retained per step fails it', async () => {
    const retained: Buffer[] = [];
    // 1 MiB a step, written so that its pages are resident: 50 MiB over the sampled steps.
    const leak: RunListener = (e) =>
      void (e.type === 'step' && retained.push(Buffer.alloc(MiB, 1)));
    const f = await runSoak(cpuOracle.name, STEPS, WARMUP, [leak]);
    expect(retained).toHaveLength(STEPS);
    expect(soakFailures(f, STEPS, 32 * MiB)).toEqual([
      expect.stringMatching(/^RSS grew by [\d.]+ MiB, over the bound of 32.0 MiB$/),
    ]);
  });
});
