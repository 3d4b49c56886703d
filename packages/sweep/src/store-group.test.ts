import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunBundle } from '@gradlab/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCell } from './cell.js';
import type { Cell } from './expand.js';
import { parseSweep } from './schema.js';
import { openSweepStore } from './store.js';
import { groupStores } from './store-group.js';
import { quickCells, registerTestBackends } from './test-support.js';

const sweep = parseSweep({
  gradlab: 1,
  name: 'quick',
  base: 'tiny',
  grid: { 'model.depth': [3, 4] },
  backends: ['cpu'],
});
let cells: Cell[];
const bundles = new Map<string, RunBundle>();
let root = '';

beforeAll(async () => {
  registerTestBackends();
  cells = quickCells('cpu');
  for (const c of cells) bundles.set(c.id, (await runCell(c)).bundle);
  root = await mkdtemp(join(tmpdir(), 'gradlab-store-group-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('groupStores', () => {
  test('one queue over several directories: a shared cell runs once and is written to each', async () => {
    const [a, b] = [cells[0] as Cell, cells[1] as Cell];
    const one = await openSweepStore(join(root, 'one'), sweep, [a, b]);
    const two = await openSweepStore(join(root, 'two'), sweep, [b]);
    const group = groupStores([one, two]);
    expect(group.pending.map((c) => c.id)).toEqual([a.id, b.id]);
    for (const c of group.pending) {
      await group.start(c);
      await group.finish(c, bundles.get(c.id) as RunBundle);
    }
    await group.flush();
    expect(group.entries().map((e) => e.status)).toEqual(['done', 'done', 'done']);

    // Opened again, both directories hold every record they need: nothing is pending.
    const oneAgain = await openSweepStore(join(root, 'one'), sweep, [a, b]);
    const twoAgain = await openSweepStore(join(root, 'two'), sweep, [b]);
    expect([oneAgain.pending.length, twoAgain.pending.length]).toEqual([0, 0]);
    expect(groupStores([oneAgain, twoAgain]).kept).toBe(3);
  });

  test('a failure and a release reach every directory that holds the cell', async () => {
    const b = cells[1] as Cell;
    const one = await openSweepStore(join(root, 'three'), sweep, [b]);
    const two = await openSweepStore(join(root, 'four'), sweep, [b]);
    const group = groupStores([one, two]);
    await group.start(b);
    await group.release(b);
    expect(group.entries().map((e) => e.status)).toEqual(['pending', 'pending']);
    await group.start(b);
    await group.fail(b, 'worker died');
    expect(group.entries().map((e) => e.error)).toEqual(['worker died', 'worker died']);
  });

  test('an empty group is refused', () => {
    expect(() => groupStores([])).toThrow(/at least one/);
  });
});
