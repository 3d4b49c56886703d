import type { BackendStatus } from '@gradlab/core';
import { describe, expect, test } from 'vitest';
import { bestAvailable, inOrder } from './choose.js';

const status = (name: string, priority: number, probe: BackendStatus['probe']): BackendStatus => ({
  name,
  priority,
  description: name,
  probe,
});
const up = (detail: string, priority?: number) =>
  ({ available: true, detail, ...(priority === undefined ? {} : { priority }) }) as const;

describe('the first backend', () => {
  test('is the available one of highest reported priority: a software GPU ranks below wasm', () => {
    const statuses = [
      status('webgpu', 30, up('SwiftShader', 15)),
      status('webgl', 25, up('SwiftShader', 12)),
      status('wasm', 20, up('SIMD')),
      status('cpu', 10, up('JavaScript')),
    ];
    expect(bestAvailable(statuses)).toBe('wasm');
    expect(bestAvailable([...statuses.slice(1), status('webgpu', 30, up('a GPU'))])).toBe('webgpu');
  });

  test('skips unavailable backends; none available is null', () => {
    const off = { available: false, reason: 'no', hint: 'none' } as const;
    expect(bestAvailable([status('webgpu', 30, off), status('cpu', 10, up('JavaScript'))])).toBe(
      'cpu',
    );
    expect(bestAvailable([status('webgpu', 30, off)])).toBeNull();
  });

  test('statuses are shown in the playground order, unknown names left out', () => {
    const s = [status('cpu', 10, up('')), status('cuda', 40, up('')), status('wasm', 20, up(''))];
    expect(inOrder(s, ['wasm', 'cpu']).map((x) => x.name)).toEqual(['wasm', 'cpu']);
  });
});
