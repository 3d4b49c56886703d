import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GradlabError } from '@gradlab/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Cell } from '../expand.js';
import { CRASH_CELLS_ENV } from '../protocol.js';
import { openSweepStore, readSweep, type SweepStore } from '../store.js';
import { runQueue } from './run-queue.js';
import {
  assertBuilt,
  expectAllRecorded,
  inspectQueue,
  killAll,
  killed,
  spawnSweep,
  spawnWorker,
  testCells,
  until,
} from './test-queue.js';
import { redisMissing, startRedis, type TestRedis } from './test-redis.js';

const missing = redisMissing();
if (missing) console.log(`skipping the Redis queue tests: ${missing}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts the records the store writes, per cell: each must be written once. */
function countWrites(store: SweepStore): Map<string, number> {
  const writes = new Map<string, number>();
  const finish = store.finish.bind(store);
  (store as { finish: SweepStore['finish'] }).finish = async (cell, bundle, files) => {
    const entry = await finish(cell, bundle, files);
    writes.set(cell.id, (writes.get(cell.id) ?? 0) + 1);
    return entry;
  };
  return writes;
}

const once = (writes: Map<string, number>) => [...writes.values()].every((n) => n === 1);

/** The cells a worker process reported starting and finishing, from its JSON lines. */
const events = (lines: Record<string, unknown>[], type: string) =>
  lines.filter((l) => l.type === type).map((l) => l.cell as string);

describe.skipIf(missing)('sweeps on a Redis queue (a real redis-server)', () => {
  let redis: TestRedis;
  let tmp: string;
  let inspect: ReturnType<typeof inspectQueue>;

  beforeEach(async () => {
    assertBuilt();
    redis = await startRedis();
    tmp = mkdtempSync(join(tmpdir(), 'gradlab-queue-'));
    inspect = inspectQueue(redis.url);
  });

  afterEach(async () => {
    await killAll();
    await inspect.close().catch(() => {});
    await redis.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('cells queued twice (the sweep stopped and run again) run once each', async () => {
    const { sweep, cells } = testCells(6);
    const dir = join(tmp, 'sweep');
    // First run: no worker yet; the sweep queues its cells and is stopped.
    const stop = new AbortController();
    const first = runQueue(await openSweepStore(dir, sweep, cells), {
      url: redis.url,
      signal: stop.signal,
      reports: false,
    });
    await until(async () => (await inspect.jobsLeft()) === 6);
    stop.abort();
    expect(await first).toMatchObject({ ran: 0, cancelled: true });
    expect((await readSweep(dir)).cells.every((e) => e.status === 'pending')).toBe(true);

    // Second run: the same six cells are queued again, and still six jobs wait.
    const notices: string[] = [];
    const store = await openSweepStore(dir, sweep, cells);
    expect(store.pending).toHaveLength(6);
    const writes = countWrites(store);
    const second = runQueue(store, {
      url: redis.url,
      reports: false,
      pollMs: 100,
      onNotice: (n) => notices.push(n),
    });
    await until(() => notices.some((n) => n.includes('no worker serves the cpu cells')));
    expect(await inspect.jobsLeft()).toBe(6);

    const worker = spawnWorker(redis.url);
    expect(await second).toEqual({ ran: 6, done: 6, failed: 0, cancelled: false });
    const started = events(worker.lines, 'start');
    expect(started.sort()).toEqual(cells.map((c) => c.id).sort());
    expect(writes.size).toBe(6);
    expect(once(writes)).toBe(true);
    await expectAllRecorded(dir, cells);
    expect(await inspect.jobsLeft()).toBe(0);
  });

  test('200 cells, 3 workers, two killed -9 mid-cell and one restarted: 200 recorded, none lost, none twice', async () => {
    // Cells of about a second at 45, 55, ... 195: a worker killed in one dies mid-cell.
    const slow = new Set(Array.from({ length: 16 }, (_, k) => 45 + 10 * k));
    const { sweep, cells } = testCells(200, slow);
    const slowIds = new Set(cells.filter((_, i) => slow.has(i)).map((c) => c.id));
    const dir = join(tmp, 'sweep');
    const workers = [spawnWorker(redis.url), spawnWorker(redis.url), spawnWorker(redis.url)];
    await Promise.all(workers.map((w) => w.waitFor((l) => l.type === 'ready')));

    const store = await openSweepStore(dir, sweep, cells);
    const writes = countWrites(store);
    const t0 = performance.now();
    const sweeping = runQueue(store, { url: redis.url, reports: false, pollMs: 200 });

    // Each victim is killed while it runs a cell of about a second, once the sweep is well on.
    const [a, b, c] = workers as [(typeof workers)[0], (typeof workers)[0], (typeof workers)[0]];
    const holding = (pid: number) => async () =>
      (await inspect.heldBy(pid)).find((id) => slowIds.has(id));
    await until(() => writes.size >= 30);
    const victimA = await until(holding(a.pid));
    await killed(a);
    await until(() => writes.size >= 80);
    const victimB = await until(holding(b.pid));
    await killed(b);
    const restarted = spawnWorker(redis.url);

    const result = await sweeping;
    const seconds = (performance.now() - t0) / 1000;
    expect(result).toEqual({ ran: 200, done: 200, failed: 0, cancelled: false });
    expect(writes.size).toBe(200);
    expect(once(writes)).toBe(true);
    await expectAllRecorded(dir, cells);
    expect(await inspect.jobsLeft()).toBe(0);

    // The cells the victims died in were taken over and finished by another worker (b may
    // have finished a's before it was killed itself).
    const finishers = (id: string) =>
      [a, b, c, restarted].filter((w) => events(w.lines, 'finish').includes(id));
    expect(finishers(victimA)).toHaveLength(1);
    expect(finishers(victimA)).not.toContain(a);
    expect(finishers(victimB)).toHaveLength(1);
    expect(finishers(victimB)).not.toContain(b);
    console.log(
      `200 cells on 3 workers, 2 killed mid-cell, 1 restarted: ${seconds.toFixed(1)} s; cells finished by each: ${[a, b, c, restarted].map((w) => events(w.lines, 'finish').length).join(', ')}`,
    );
  });

  test('the sweep killed -9 mid-sweep and run again: every cell recorded once', async () => {
    const { sweep, cells } = testCells(100);
    const dir = join(tmp, 'sweep');
    const cellsFile = join(tmp, 'cells.json');
    writeFileSync(cellsFile, JSON.stringify({ sweep, cells }));
    const log1 = join(tmp, 'log1');
    const log2 = join(tmp, 'log2');
    const ends = (log: string) => {
      try {
        return readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('end '))
          .map((l) => l.slice(4));
      } catch {
        return [];
      }
    };
    spawnWorker(redis.url);
    spawnWorker(redis.url);

    const first = spawnSweep({ url: redis.url, dir, cellsFile, log: log1 });
    await until(() => ends(log1).length >= 30);
    await killed(first);
    await sleep(1000); // the workers go on without it

    const second = spawnSweep({ url: redis.url, dir, cellsFile, log: log2 });
    const exit = await second.exited;
    expect(exit, second.stderr()).toEqual({ code: 0, signal: null });
    expect(second.lines.at(-1)).toMatchObject({ type: 'summary', failed: 0, cancelled: false });

    const written = [...ends(log1), ...ends(log2)];
    expect(new Set(written).size).toBe(written.length); // nothing written twice
    // A record the first run finished just before it died, without logging it, is kept.
    expect(written.length).toBeGreaterThanOrEqual(99);
    await expectAllRecorded(dir, cells);
    expect(await inspect.jobsLeft()).toBe(0);
  });

  test('a record written but its job not yet removed when the sweep died: the rerun removes the job and runs nothing twice', async () => {
    const { sweep, cells } = testCells(4);
    const dir = join(tmp, 'sweep');
    spawnWorker(redis.url);
    // The sweep "dies" right after writing its first record: the job stays in Redis, completed.
    const store = await openSweepStore(dir, sweep, cells);
    const finish = store.finish.bind(store);
    let first: string | null = null;
    (store as { finish: SweepStore['finish'] }).finish = async (cell, bundle, files) => {
      await finish(cell, bundle, files);
      first = cell.id;
      throw new Error('died after the record');
    };
    await expect(runQueue(store, { url: redis.url, reports: false, pollMs: 100 })).rejects.toThrow(
      'died after the record',
    );
    const left = first as unknown as string;
    expect(left).not.toBe(null);
    expect(await inspect.jobsLeft()).toBeGreaterThanOrEqual(1);

    const again = await openSweepStore(dir, sweep, cells);
    expect(again.keptCells.map((c) => c.id)).toEqual([left]);
    const writes = countWrites(again);
    expect(await runQueue(again, { url: redis.url, reports: false, pollMs: 100 })).toEqual({
      ran: 3,
      done: 3,
      failed: 0,
      cancelled: false,
    });
    expect(writes.has(left)).toBe(false);
    await expectAllRecorded(dir, cells);
    expect(await inspect.jobsLeft()).toBe(0);
  });

  test('Redis restarted mid-sweep (append-only): the sweep and the workers wait for it and complete', async () => {
    const { sweep, cells } = testCells(80);
    const dir = join(tmp, 'sweep');
    spawnWorker(redis.url);
    spawnWorker(redis.url);
    const store = await openSweepStore(dir, sweep, cells);
    const writes = countWrites(store);
    const notices: string[] = [];
    const sweeping = runQueue(store, {
      url: redis.url,
      reports: false,
      pollMs: 200,
      onNotice: (n) => notices.push(n),
    });
    await until(() => writes.size >= 20);
    await redis.stop();
    await sleep(1500);
    await redis.start();

    expect(await sweeping).toEqual({ ran: 80, done: 80, failed: 0, cancelled: false });
    expect(once(writes)).toBe(true);
    await expectAllRecorded(dir, cells);
    expect(notices.some((n) => n.startsWith(`lost ${redis.url}`))).toBe(true);
    expect(notices).toContain(`${redis.url} is back`);
  });

  test('Redis gone for longer than the sweep waits: a clear stop, and the rerun completes with nothing lost', async () => {
    const { sweep, cells } = testCells(60);
    const dir = join(tmp, 'sweep');
    const leaving = spawnWorker(redis.url);
    spawnWorker(redis.url);
    const store = await openSweepStore(dir, sweep, cells);
    const writes = countWrites(store);
    const sweeping = runQueue(store, { url: redis.url, reports: false, unreachableMs: 1500 });
    await until(() => writes.size >= 15);
    await redis.stop();
    const error = await sweeping.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GradlabError);
    expect((error as GradlabError).code).toBe('QUEUE_UNAVAILABLE');
    expect((error as GradlabError).message).toMatch(
      new RegExp(
        `^stopped after 2 s without the queue's Redis at ${redis.url} .*run the same command again`,
      ),
    );
    // Cells in flight went back to pending: sweep.json claims only what is on disk.
    const after = await readSweep(dir);
    expect(after.cells.filter((e) => e.status !== 'done' && e.status !== 'pending')).toEqual([]);
    const recorded = after.cells.filter((e) => e.status === 'done').length;
    expect(recorded).toBe(writes.size);
    // A worker told to hand its cells back while Redis is away does not wait for it: they lapse.
    leaving.child.kill('SIGINT');
    const t0 = performance.now();
    expect(await leaving.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - t0).toBeLessThan(5000);

    await redis.start();
    const again = await openSweepStore(dir, sweep, cells);
    expect(again.pending).toHaveLength(60 - recorded);
    const writesAgain = countWrites(again);
    const result = await runQueue(again, { url: redis.url, reports: false, pollMs: 200 });
    expect(result).toEqual({
      ran: 60 - recorded,
      done: 60 - recorded,
      failed: 0,
      cancelled: false,
    });
    expect([...writesAgain.keys()].filter((id) => writes.has(id))).toEqual([]);
    expect(once(writesAgain)).toBe(true);
    await expectAllRecorded(dir, cells);
  });

  test('a cell whose process dies is tried again, then recorded as failed; its worker lives on', async () => {
    const { sweep, cells } = testCells(3);
    const crashing = cells[1] as Cell;
    const worker = spawnWorker(redis.url, { env: { [CRASH_CELLS_ENV]: crashing.id } });
    const dir = join(tmp, 'sweep');
    const store = await openSweepStore(dir, sweep, cells);
    const result = await runQueue(store, { url: redis.url, reports: false, pollMs: 100 });
    expect(result).toEqual({ ran: 3, done: 2, failed: 1, cancelled: false });
    const entry = (await readSweep(dir)).cells.find((e) => e.id === crashing.id);
    expect(entry).toMatchObject({ status: 'failed', run: null });
    expect(entry?.error).toMatch(/^on worker .*:\d+: its worker process was killed by SIGKILL/);
    expect(events(worker.lines, 'error')).toEqual([crashing.id, crashing.id]);
    expect(worker.child.exitCode).toBe(null);
  });

  test('SIGINT hands a worker`s cell back at once; SIGTERM lets it finish first', async () => {
    const { sweep, cells } = testCells(3, new Set([0, 1, 2]));
    const dir = join(tmp, 'sweep');
    const store = await openSweepStore(dir, sweep, cells);
    const writes = countWrites(store);
    const sweeping = runQueue(store, { url: redis.url, reports: false, pollMs: 100 });

    const releasing = spawnWorker(redis.url);
    const [held] = await until(async () => {
      const ids = await inspect.heldBy(releasing.pid);
      return ids.length > 0 ? ids : null;
    });
    releasing.child.kill('SIGINT');
    expect(await releasing.exited).toEqual({ code: 0, signal: null });
    expect(events(releasing.lines, 'released')).toEqual([held]);
    expect(events(releasing.lines, 'finish')).toEqual([]);

    const finishing = spawnWorker(redis.url);
    const [taken] = await until(async () => {
      const ids = await inspect.heldBy(finishing.pid);
      return ids.length > 0 ? ids : null;
    });
    finishing.child.kill('SIGTERM');
    expect(await finishing.exited).toEqual({ code: 0, signal: null });
    expect(events(finishing.lines, 'finish')).toEqual([taken]);

    spawnWorker(redis.url);
    expect(await sweeping).toEqual({ ran: 3, done: 3, failed: 0, cancelled: false });
    expect(once(writes)).toBe(true);
    await expectAllRecorded(dir, cells);
  });
});
