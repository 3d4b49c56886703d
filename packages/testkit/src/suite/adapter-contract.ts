import {
  BACKEND_SPEC_VERSION,
  type BackendAdapter,
  getBackendAdapter,
  type ProbeResult,
  useBackend,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { EPSILON_OF } from '../compare.js';
import type { KitContext } from '../context.js';
import { knownGapProblems } from '../known-gaps.js';
import type { GroupContext } from './group.js';
import { message } from './register.js';

// The adapter contract: what BackendAdapter promises, checked on the adapter itself.

async function checkSpec(adapter: BackendAdapter): Promise<void> {
  expect(adapter.specVersion, 'specVersion').toBe(BACKEND_SPEC_VERSION);
  expect(adapter.name, 'name (what users type after --backend)').toMatch(/^[A-Za-z0-9][\w.-]*$/);
  expect(adapter.name, 'name').not.toBe('auto');
  expect(Number.isFinite(adapter.priority), `priority ${adapter.priority}`).toBe(true);
  expect(adapter.platforms.length, 'platforms').toBeGreaterThan(0);
  for (const p of adapter.platforms) expect(['node', 'browser'], 'platforms').toContain(p);
  expect(new Set(adapter.platforms).size, 'platforms without repeats').toBe(
    adapter.platforms.length,
  );
  expect(typeof adapter.description).toBe('string');
  expect(adapter.description.trim().length, 'description').toBeGreaterThan(0);
  for (const method of ['probe', 'activate', 'release'] as const) {
    expect(typeof adapter[method], method).toBe('function');
  }
  if (adapter.knownGaps !== undefined) {
    expect(knownGapProblems(adapter.knownGaps), 'adapter.knownGaps').toEqual([]);
  }
  expect(getBackendAdapter(adapter.name), 'registered by name').toBe(adapter);
}

async function checkProbe(adapter: BackendAdapter): Promise<void> {
  const backendBefore = tf.getBackend();
  const instancesBefore = Object.keys(tf.engine().registry).sort();
  const results: ProbeResult[] = [];
  for (let i = 0; i < 2; i++) {
    try {
      results.push(await adapter.probe());
    } catch (e) {
      throw new Error(
        `probe() threw; it must resolve { available: false, reason, hint } instead: ${message(e)}`,
      );
    }
  }
  const [first, second] = results as [ProbeResult, ProbeResult];
  expect(typeof first.available, 'available').toBe('boolean');
  if (first.available) {
    expect(typeof first.detail, 'detail').toBe('string');
    expect(first.detail.length, 'detail').toBeGreaterThan(0);
  } else {
    expect(first.reason.length, 'reason').toBeGreaterThan(0);
    expect(first.hint.length, 'hint').toBeGreaterThan(0);
  }
  expect(second.available, 'a second probe agrees').toBe(first.available);
  expect(tf.getBackend(), "probe() changed tfjs's active backend").toBe(backendBefore);
  expect(Object.keys(tf.engine().registry).sort(), 'probe() initialised a tfjs backend').toEqual(
    instancesBefore,
  );
}

async function checkActivate(adapter: BackendAdapter, ctx: KitContext): Promise<void> {
  const info = await adapter.activate();
  expect(tf.getBackend(), 'the active tfjs backend after activate()').toBe(info.tfjsBackend);
  expect(info.name, 'info.name').toBe(adapter.name);
  expect(info.tfjsBackend.length, 'info.tfjsBackend').toBeGreaterThan(0);
  expect([16, 32], 'info.floatPrecision').toContain(info.floatPrecision);
  expect(info.epsilon, `info.epsilon of fp${info.floatPrecision}`).toBe(
    EPSILON_OF[info.floatPrecision],
  );
  expect(typeof info.device, 'info.device').toBe('string');
  expect(info.device.length, 'info.device').toBeGreaterThan(0);
  expect(typeof info.capabilities.syncReadback, 'capabilities.syncReadback').toBe('boolean');
  expect(typeof info.capabilities.multithreaded, 'capabilities.multithreaded').toBe('boolean');
  for (const [k, v] of Object.entries(info.versions)) {
    expect(typeof v, `versions['${k}']`).toBe('string');
  }
  // Idempotent, and reached through the registry after switching away.
  expect(await adapter.activate(), 'a second activate()').toEqual(info);
  expect(tf.getBackend()).toBe(info.tfjsBackend);
  await ctx.onOracle();
  const selection = await useBackend(adapter.name);
  expect(selection.info, `useBackend('${adapter.name}')`).toEqual(info);
  expect(selection.skipped).toEqual([]);
  expect(tf.getBackend()).toBe(info.tfjsBackend);
  const sum = tf.add(tf.tensor1d([1, 2, 3]), tf.tensor1d([10, 20, 30]));
  try {
    expect(Array.from(await sum.data())).toEqual([11, 22, 33]);
  } finally {
    tf.dispose(sum);
  }
}

async function checkRelease(adapter: BackendAdapter, ctx: KitContext): Promise<void> {
  const product = async () => {
    const p = tf.tidy(() =>
      tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])),
    );
    try {
      return Array.from(await p.data());
    } finally {
      tf.dispose(p);
    }
  };
  const info = await ctx.onBackend();
  expect(await product()).toEqual([19, 22, 43, 50]);
  await adapter.release();
  expect(
    tf.engine().registry[info.tfjsBackend],
    `release() left the tfjs "${info.tfjsBackend}" backend instance alive`,
  ).toBeUndefined();
  const again = await ctx.onBackend();
  expect(again.name).toBe(adapter.name);
  expect(tf.getBackend()).toBe(info.tfjsBackend);
  expect(await product(), 'a matMul after release() and activate()').toEqual([19, 22, 43, 50]);
  // Releasing twice is harmless, and so is activating after it.
  await adapter.release();
  await adapter.release();
  await ctx.onBackend();
  expect(await product(), 'a matMul after two releases').toEqual([19, 22, 43, 50]);
}

export function registerAdapterContract({ register, ctx, adapter }: GroupContext): void {
  register('adapter/spec', () => checkSpec(adapter));
  register('adapter/probe', () => checkProbe(adapter));
  register('adapter/activate', () => checkActivate(adapter, ctx));
  register('adapter/release', () => checkRelease(adapter, ctx));
}
