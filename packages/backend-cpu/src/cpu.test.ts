/**
 * What is particular to the cpu adapter; everything every backend must do is in
 * index.test.ts, the conformance kit.
 */
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { describe, expect, test } from 'vitest';
import cpuDefault, { cpuBackend } from './index.js';

describe('cpu adapter', () => {
  test('is the default export, priority 10, for node and browser', () => {
    expect(cpuDefault).toBe(cpuBackend);
    expect(cpuBackend.name).toBe('cpu');
    expect(cpuBackend.priority).toBe(10);
    expect([...cpuBackend.platforms].sort()).toEqual(['browser', 'node']);
  });

  test('describes a single-threaded 32-bit float CPU and the tfjs-backend-cpu version', async () => {
    const info = await cpuBackend.activate();
    expect(info.tfjsBackend).toBe('cpu');
    expect(info.floatPrecision).toBe(32);
    expect(info.device).toMatch(/CPU/);
    expect(info.capabilities).toEqual({ syncReadback: true, multithreaded: false });
    expect(info.versions['@tensorflow/tfjs-backend-cpu']).toBe(version_cpu);
  });
});
