import { listPresets } from '@gradlab/experiments';
import { describe, expect, it } from 'vitest';

/**
 * The built package, as the `gradlab sweep` command runs it: its worker processes start from
 * the compiled cell runner beside it (tests otherwise import the TypeScript sources).
 */
const { expandSweep, parseSweep, WorkerPool }: typeof import('@gradlab/sweep') = await import(
  new URL('../../../packages/sweep/dist/index.js', import.meta.url).href
);
/** The worker setup the command itself gives its workers. */
const setup = new URL('../dist/sweep-worker-setup.js', import.meta.url).href;

const presets = Object.fromEntries(listPresets().map((p) => [p.name, p.spec]));
const [cell] = expandSweep(
  parseSweep({
    gradlab: 1,
    name: 'pool',
    base: 'tiny',
    grid: { 'training.steps': [3] },
    backends: ['cpu'],
  }),
  { presets },
);

describe('WorkerPool: workers started before the cells are known', () => {
  it('hands out its workers warmed for the backends and reports, then nothing once closed', async () => {
    const pool = WorkerPool.start({ size: 2, setup });
    pool.warm(['cpu'], true);
    const first = await pool.take();
    const second = await pool.take();
    expect(pool.take()).toBeUndefined();
    if (!first || !second || !cell) throw new Error('expected two workers and a cell');
    // The warm-up and the cell share the worker's one message queue: the cell runs after it.
    const reply = await first.run(cell, true);
    expect(reply.type).toBe('result');
    if (reply.type === 'result') {
      expect(reply.bundle.run.status).toBe('complete');
      expect(reply.report).toContain('<svg');
    }
    pool.close();
    // Closing lets go only of workers not taken: these two are the lanes' to end.
    expect(first.alive && second.alive).toBe(true);
    first.close();
    second.close();
  });

  it('closed before its workers are ready: none is handed out', async () => {
    const pool = WorkerPool.start({ size: 2, setup });
    pool.close();
    expect(pool.take()).toBeUndefined();
  });
});
