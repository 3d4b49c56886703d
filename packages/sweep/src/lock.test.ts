import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GradlabError } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import { lockSweepDir, SWEEP_LOCK } from './lock.js';
import { parseSweep } from './schema.js';
import { openSweepStore } from './store.js';
import { quickCells } from './test-support.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'gradlab-lock-')), 'sweep');

/** A pid that no process has now: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

async function busy(dir: string): Promise<GradlabError> {
  const e = await lockSweepDir(dir).then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(GradlabError);
  expect((e as GradlabError).code).toBe('SWEEP_BUSY');
  return e as GradlabError;
}

describe('lockSweepDir', () => {
  it('one sweep at a time: a second is refused, naming the process holding the directory', async () => {
    const dir = fresh();
    const lock = await lockSweepDir(dir);
    const owner = JSON.parse(readFileSync(join(dir, SWEEP_LOCK), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
    const e = await busy(dir);
    expect(e.message).toContain(
      `another gradlab sweep is running in ${dir} (process ${process.pid},`,
    );
    expect(e.message).toContain('choose another --out');
    await lock.release();
    expect(existsSync(join(dir, SWEEP_LOCK))).toBe(false);
    await (await lockSweepDir(dir)).release();
  });

  it('a lock left by a killed sweep (its process gone) is taken over at once', async () => {
    const dir = fresh();
    await (await lockSweepDir(dir)).release();
    const path = join(dir, SWEEP_LOCK);
    writeFileSync(path, JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: 'x' }));
    const lock = await lockSweepDir(dir);
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('release leaves a lock that is no longer its own', async () => {
    const dir = fresh();
    const lock = await lockSweepDir(dir);
    const path = join(dir, SWEEP_LOCK);
    writeFileSync(path, JSON.stringify({ pid: 1, host: hostname(), startedAt: 'x' }));
    await lock.release();
    expect(existsSync(path)).toBe(true);
  });

  it('a half-written lock (killed while creating it) is taken over', async () => {
    const dir = fresh();
    await (await lockSweepDir(dir)).release();
    writeFileSync(join(dir, SWEEP_LOCK), '{"pi');
    await (await lockSweepDir(dir)).release();
  });

  it('a lock held from another machine cannot be checked: it is respected, and the message says how to clear it', async () => {
    const dir = fresh();
    await (await lockSweepDir(dir)).release();
    const path = join(dir, SWEEP_LOCK);
    writeFileSync(path, JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'then' }));
    const e = await busy(dir);
    expect(e.message).toContain('(process 1 on elsewhere, since then)');
    expect(e.message).toContain(`If that sweep is gone, delete ${path}.`);
  });

  it('the store opens a new directory that holds only the lock', async () => {
    const dir = fresh();
    const lock = await lockSweepDir(dir);
    const cells = quickCells();
    const sweep = parseSweep({
      gradlab: 1,
      name: 'quick',
      base: 'tiny',
      grid: { 'model.depth': [3, 4], 'training.steps': [3] },
      backends: ['cpu'],
    });
    const store = await openSweepStore(dir, sweep, cells);
    expect(store.pending).toHaveLength(cells.length);
    await lock.release();
  });
});
