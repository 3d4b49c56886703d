/**
 * @gradlab/core/testing: the small helpers gradlab's packages share in their tests (vitest), in
 * one place: core's own tests (through src/test-support.ts) and every other package's (through
 * @gradlab/testkit/helpers, which re-exports these). Importing it registers tfjs's CPU backend.
 *
 * Test-only: vitest and @tensorflow/tfjs-backend-cpu are optional peers of core, needed only by
 * a user of this entry; core's main entry never imports it.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { BackendInfo } from '../backends/adapter.js';

/** Makes tfjs's CPU backend the active one, ready to run. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Asserts |actual - expected| <= rel * |expected| + abs (and that `actual` is a number). */
export function expectClose(
  actual: number | null | undefined,
  expected: number,
  rel = 1e-5,
  abs = 1e-7,
): void {
  expect(actual).toBeTypeOf('number');
  const a = actual as number;
  const tolerance = rel * Math.abs(expected) + abs;
  if (!(Math.abs(a - expected) <= tolerance)) {
    expect.fail(`expected ${a} to be within ${tolerance} of ${expected}`);
  }
}

/**
 * The error `fn` throws (sync or async); fails the test if it does not throw. Typed as a gradlab
 * error (`code`, `message`) unless `E` says otherwise.
 */
export async function caught<E = { code?: string; message: string }>(
  fn: () => unknown,
): Promise<E> {
  try {
    await fn();
  } catch (e) {
    return e as E;
  }
  return expect.fail('expected a throw');
}

/** The backend a run record names in tests that write records without probing one. */
export const TEST_CPU_BACKEND: BackendInfo = {
  name: 'cpu',
  tfjsBackend: 'cpu',
  device: 'CPU (test)',
  floatPrecision: 32,
  epsilon: 2 ** -23,
  capabilities: { syncReadback: true, multithreaded: false },
  versions: {},
};
