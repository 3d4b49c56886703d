/**
 * Helpers of the queue tests: cells quick enough to run by the hundred, worker and sweep
 * processes on the built package (test-fixtures/), and the checks that every cell is recorded
 * once. Excluded from the build (see tsconfig.build.json).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { expect } from 'vitest';
import { type Cell, expandSweep } from '../expand.js';
import { parseSweep } from '../schema.js';
import { readSweep } from '../store.js';
import { presets } from '../test-support.js';
import { cellQueueName, QUEUE_PREFIX } from './jobs.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`./test-fixtures/${name}`, import.meta.url));
const built = fileURLToPath(new URL('../../dist/queue/index.js', import.meta.url));

/** The worker and sweep processes run the built package: say so when it is missing. */
export function assertBuilt(): void {
  if (!existsSync(built)) throw new Error(`${built} is missing: build first (pnpm build)`);
}

/**
 * `n` cells of a 2-layer tanh MLP on cpu, one per seed: 2 steps (about 50 ms), or 2,000
 * (about a second) at the indices in `slow`, which a test can catch a worker in the middle of.
 */
export function testCells(n: number, slow: ReadonlySet<number> = new Set()) {
  const seeds = Array.from({ length: n }, (_, i) => i);
  const make = (steps: number) =>
    parseSweep({
      gradlab: 1,
      name: 'queue-test',
      base: 'tiny',
      grid: { 'model.depth': [2], 'training.steps': [steps] },
      seeds,
      backends: ['cpu'],
    });
  const sweep = make(2);
  const fast = expandSweep(sweep, { presets });
  const long = slow.size > 0 ? expandSweep(make(2000), { presets }) : [];
  const cells = fast.map((c, i) => (slow.has(i) ? (long[i] as Cell) : c));
  return { sweep, cells };
}

export interface Proc {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every JSON line it printed so far. */
  readonly lines: Record<string, unknown>[];
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first line (already printed or to come) that `match` accepts. */
  waitFor(match: (line: Record<string, unknown>) => boolean, ms?: number): Promise<unknown>;
}

const live = new Set<ChildProcess>();

function start(script: string, options: object): Proc {
  const child = spawn(process.execPath, [fixture(script), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const lines: Record<string, unknown>[] = [];
  const watchers = new Set<() => void>();
  let err = '';
  let rest = '';
  child.stdout?.on('data', (d: Buffer) => {
    rest += d.toString();
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p));
    for (const w of [...watchers]) w();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      live.delete(child);
      for (const w of [...watchers]) w();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    pid: child.pid as number,
    lines,
    stderr: () => err,
    exited,
    waitFor(match, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find(match);
          if (hit) {
            watchers.delete(check);
            clearTimeout(timer);
            resolve(hit);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            watchers.delete(check);
            clearTimeout(timer);
            reject(new Error(`${script} exited before the line awaited; stderr: ${err}`));
          }
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`${script}: no such line within ${ms} ms; stderr: ${err}`));
        }, ms);
        watchers.add(check);
        check();
      });
    },
  };
}

/** Short locks, so that a killed worker's cell is taken over within about 3 s. */
export const FAST_RECOVERY = { lockMs: 2000, stalledCheckMs: 500, pollMs: 100 } as const;

/** A `gradlab worker`-like process on cpu, one cell at a time. */
export function spawnWorker(url: string, options: object = {}): Proc {
  return start('worker.mjs', { url, concurrency: 1, ...FAST_RECOVERY, ...options });
}

/** A sweep process: opens `dir`, runs what is pending on the queue, logs begin/end of writes. */
export function spawnSweep(options: {
  url: string;
  dir: string;
  cellsFile: string;
  log: string;
  [k: string]: unknown;
}): Proc {
  return start('producer.mjs', { pollMs: 200, ...options });
}

/** Kills (SIGKILL) every process these helpers started that is still running. */
export async function killAll(): Promise<void> {
  const exits = [...live].map((c) => new Promise((r) => c.once('exit', r)));
  for (const c of live) c.kill('SIGKILL');
  await Promise.all(exits);
}

export function killed(p: Proc): Promise<unknown> {
  p.child.kill('SIGKILL');
  return p.exited;
}

/** The sweep directory holds one complete record per cell, and sweep.json says each is done. */
export async function expectAllRecorded(dir: string, cells: readonly Cell[]): Promise<void> {
  const ids = cells.map((c) => c.id).sort();
  const file = await readSweep(dir);
  expect(file.cells.map((e) => e.id).sort()).toEqual(ids);
  const notDone = file.cells.filter((e) => e.status !== 'done');
  expect(notDone.map((e) => `${e.id} ${e.status} ${e.error}`)).toEqual([]);
  // No staging directory left, no record missing, none extra.
  expect(readdirSync(join(dir, 'cells')).sort()).toEqual(ids);
  for (const id of ids) {
    const run = JSON.parse(readFileSync(join(dir, 'cells', id, 'run.json'), 'utf8'));
    expect(run.result.status).toBe('complete');
  }
}

/** Looks into the cpu queue: what a worker holds, what is left. */
export function inspectQueue(url: string) {
  const queue = new Queue(cellQueueName('cpu'), {
    connection: { url, maxRetriesPerRequest: null },
    prefix: QUEUE_PREFIX,
  });
  queue.on('error', () => {});
  return {
    /** The cells a worker process is running now (its name ends with its pid). */
    async heldBy(pid: number): Promise<string[]> {
      const active = await queue.getActive();
      return active.filter((j) => j.processedBy?.endsWith(`:${pid}`)).map((j) => String(j.id));
    },
    /** Jobs left in Redis, in any state. */
    async jobsLeft(): Promise<number> {
      const counts = await queue.getJobCounts();
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    close: () => queue.close(),
  };
}

/** Polls `probe` every 50 ms until it returns something truthy. */
export async function until<T>(probe: () => Promise<T> | T, ms = 60_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
