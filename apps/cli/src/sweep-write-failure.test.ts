import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPresets } from '@gradlab/experiments';
import type { SweepStore } from '@gradlab/sweep';
import { describe, expect, it } from 'vitest';

/**
 * The built package, as the `gradlab sweep` command runs it: its worker processes start from
 * the compiled cell runner beside it (tests otherwise import the TypeScript sources).
 */
const {
  cellRunPath,
  expandSweep,
  openSweepStore,
  parseSweep,
  runLocal,
}: typeof import('@gradlab/sweep') = await import(
  new URL('../../../packages/sweep/dist/index.js', import.meta.url).href
);
/** The worker setup the command itself gives its workers. */
const setup = new URL('../dist/sweep-worker-setup.js', import.meta.url).href;

const sweep = parseSweep({
  gradlab: 1,
  name: 'write-failure',
  base: 'tiny',
  grid: { 'model.depth': [3, 4], 'training.steps': [3] },
  seeds: [0, 1, 2],
  backends: ['cpu'],
});
const presets = Object.fromEntries(listPresets().map((p) => [p.name, p.spec]));
const cells = expandSweep(sweep, { presets });

describe('a local sweep whose disk refuses a record', () => {
  it('stops with the write error; every entry that says done has its record, the rest run on resume', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gradlab-sweep-enospc-')), 'sweep');
    const store = await openSweepStore(dir, sweep, cells);
    let writes = 0;
    // The second record hits a full disk: the injected failure is the error fs would give.
    const full: SweepStore = {
      ...store,
      finish: async (cell, bundle, files) => {
        if (++writes === 2) {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
            code: 'ENOSPC',
          });
        }
        return store.finish(cell, bundle, files);
      },
    };
    // Records are written while the workers run the next cells: the failure must come back
    // from runLocal (not as an unhandled rejection while a lane waits on its worker).
    await expect(runLocal(full, { workers: 2, setup })).rejects.toThrow(/ENOSPC/);

    const reopened = await openSweepStore(dir, sweep, cells);
    const done = reopened.entries().filter((e) => e.status === 'done');
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done.length).toBeLessThan(cells.length);
    for (const e of done) expect(existsSync(join(dir, cellRunPath(e.id), 'run.json'))).toBe(true);
    expect(reopened.pending.length).toBe(cells.length - done.length);

    const rest = await runLocal(reopened, { workers: 2, setup });
    expect(rest.done).toBe(cells.length - done.length);
    const all = (await openSweepStore(dir, sweep, cells)).entries();
    expect(all.filter((e) => e.status === 'done')).toHaveLength(cells.length);
  }, 60_000);
});
