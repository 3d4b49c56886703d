import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GradlabError, type RunBundle } from '@gradlab/core';
import { readRunRecord, writeRunBundle } from '@gradlab/core/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCell } from './cell.js';
import type { Cell } from './expand.js';
import { parseSweep } from './schema.js';
import { openSweepStore, readSweep } from './store.js';
import { summarizeBundle } from './summary.js';
import { quickCells, registerTestBackends } from './test-support.js';

const sweep = parseSweep({
  gradlab: 1,
  name: 'quick',
  base: 'tiny',
  grid: { 'model.depth': [3, 4], 'training.steps': [3] },
  backends: ['cpu'],
});
let cells: Cell[];
const bundles = new Map<string, RunBundle>();
let root = '';
let n = 0;
const fresh = () => join(root, `sweep-${++n}`);

beforeAll(async () => {
  registerTestBackends();
  cells = quickCells('cpu');
  for (const c of cells) bundles.set(c.id, (await runCell(c)).bundle);
  root = await mkdtemp(join(tmpdir(), 'gradlab-sweep-store-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const bundleOf = (c: Cell) => bundles.get(c.id) as RunBundle;
const [first, second] = [() => cells[0] as Cell, () => cells[1] as Cell];

/** Independently of the summary: step 1's first-layer gradient norm over its last layer's. */
function initialRatio(c: Cell): number {
  const step1 = bundleOf(c).metrics[0];
  expect(step1?.full).toBe(true);
  const norms = step1?.layers.map((l) => l.gradNorm) ?? [];
  const ratio = (norms[0] as number) / (norms.at(-1) as number);
  expect(Number.isFinite(ratio)).toBe(true);
  return ratio;
}

/** Runs every pending cell of a store "in a worker": its bundle from beforeAll. */
async function runAll(dir: string, o = {}) {
  const store = await openSweepStore(dir, sweep, cells, o);
  for (const c of store.pending) {
    await store.start(c);
    await store.finish(c, bundleOf(c), { 'report.html': '<p>r</p>' });
  }
  await store.flush();
  return store;
}

describe('a sweep directory', () => {
  test('starts with every cell pending, and says so in sweep.json', async () => {
    const dir = fresh();
    const store = await openSweepStore(dir, sweep, cells);
    expect(store.pending.map((c) => c.id)).toEqual(cells.map((c) => c.id));
    expect(store.kept).toBe(0);
    const file = await readSweep(dir);
    expect(file).toMatchObject({ gradlab: 1, kind: 'gradlab-sweep', name: 'quick' });
    expect(file.cells.map((e) => [e.id, e.status, e.run, e.verdict])).toEqual(
      cells.map((c) => [c.id, 'pending', null, null]),
    );
    expect(file.axes[0]).toEqual({ name: 'model.depth', values: [3, 4] });
  });

  test('a finished cell is a readable run record first, then a done entry', async () => {
    const dir = fresh();
    const store = await runAll(dir);
    const file = await readSweep(dir);
    for (const [i, c] of cells.entries()) {
      const entry = file.cells[i];
      const summary = summarizeBundle(bundleOf(c));
      expect(entry).toMatchObject({
        id: c.id,
        params: c.params,
        status: 'done',
        run: `cells/${c.id}`,
        backend: 'cpu',
        verdict: summary.verdict,
        finalLoss: summary.finalLoss,
        layers: summary.layers,
        initialGradientRatio: initialRatio(c),
        attempts: 1,
        error: null,
      });
      const record = await readRunRecord(join(dir, entry?.run as string));
      expect(record.spec).toEqual(c.spec);
      expect(await readFile(join(dir, entry?.run as string, 'report.html'), 'utf8')).toBe(
        '<p>r</p>',
      );
    }
    expect(store.entries().map((e) => e.status)).toEqual(['done', 'done']);
  });

  test('reopened, complete cells are kept and nothing is pending', async () => {
    const dir = fresh();
    await runAll(dir);
    const again = await openSweepStore(dir, sweep, cells);
    expect(again.pending).toEqual([]);
    expect(again.kept).toBe(2);
    expect((await readSweep(dir)).cells.map((e) => e.status)).toEqual(['done', 'done']);
  });

  test('a record written just before a kill (entry not updated) is found, not rerun', async () => {
    const dir = fresh();
    const store = await openSweepStore(dir, sweep, cells);
    await store.start(first());
    // Killed here: the record is complete on disk, sweep.json still says "running".
    await writeRunBundle(join(dir, 'cells', first().id), bundleOf(first()));
    // ...and the second cell was half-written into its staging directory.
    const staging = join(dir, 'cells', `.${second().id}.partial-0123abcd`);
    await mkdir(staging);
    await writeFile(join(staging, 'spec.json'), '{');
    expect((await readSweep(dir)).cells.map((e) => e.status)).toEqual(['running', 'pending']);

    const resumed = await openSweepStore(dir, sweep, cells);
    expect(resumed.pending.map((c) => c.id)).toEqual([second().id]);
    const entries = (await readSweep(dir)).cells;
    expect(entries[0]).toMatchObject({
      status: 'done',
      run: `cells/${first().id}`,
      attempts: 1,
      // Read back from the adopted record's metrics.jsonl, as finishing it would have.
      initialGradientRatio: initialRatio(first()),
    });
    expect(entries[1]).toMatchObject({ status: 'pending', run: null });
    expect(existsSync(staging)).toBe(false);
  });

  test('a done entry whose record is gone is run again', async () => {
    const dir = fresh();
    await runAll(dir);
    await rm(join(dir, 'cells', second().id), { recursive: true });
    const again = await openSweepStore(dir, sweep, cells);
    expect(again.pending.map((c) => c.id)).toEqual([second().id]);
    expect((await readSweep(dir)).cells[1]).toMatchObject({ status: 'pending', run: null });
  });

  test('a record that does not read whole is no result: the cell runs again', async () => {
    const dir = fresh();
    await runAll(dir);
    // First cell: a run.json that says complete but lost its result; second: a metrics line
    // cut short (the disk filled while it was copied in, say).
    const manifestPath = join(dir, 'cells', first().id, 'run.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    await writeFile(manifestPath, JSON.stringify({ ...manifest, result: undefined }));
    const metricsPath = join(dir, 'cells', second().id, 'metrics.jsonl');
    const metrics = await readFile(metricsPath, 'utf8');
    await writeFile(metricsPath, metrics.slice(0, Math.floor(metrics.length / 2)));

    const again = await openSweepStore(dir, sweep, cells);
    expect(again.pending.map((c) => c.id)).toEqual([first().id, second().id]);
    expect((await readSweep(dir)).cells.map((e) => [e.status, e.run])).toEqual([
      ['pending', null],
      ['pending', null],
    ]);
  });

  test('a failed cell stays failed on resume, and runs again with retryFailed', async () => {
    const dir = fresh();
    const store = await openSweepStore(dir, sweep, cells);
    await store.start(first());
    const failed = await store.fail(first(), 'its worker process was killed by SIGKILL');
    expect(failed).toMatchObject({ status: 'failed', run: null, verdict: null, attempts: 1 });
    expect(failed.error).toContain('SIGKILL');

    const resumed = await openSweepStore(dir, sweep, cells);
    expect(resumed.pending.map((c) => c.id)).toEqual([second().id]);
    expect((await readSweep(dir)).cells[0]).toMatchObject({ status: 'failed', attempts: 1 });

    const retried = await openSweepStore(dir, sweep, cells, { retryFailed: true });
    expect(retried.pending.map((c) => c.id)).toEqual(cells.map((c) => c.id));
    await retried.start(first());
    const done = await retried.finish(first(), bundleOf(first()));
    expect(done).toMatchObject({ status: 'done', attempts: 2, error: null });
  });

  test('a run that failed in training is a failed entry with its record', async () => {
    const dir = fresh();
    const store = await openSweepStore(dir, sweep, cells);
    const b = bundleOf(first());
    const failedRun: RunBundle = {
      ...b,
      run: {
        ...b.run,
        status: 'failed',
        result: { ...b.run.result, status: 'failed', error: 'the global gradient norm is NaN' },
      },
    };
    await store.start(first());
    const e = await store.finish(first(), failedRun);
    expect(e).toMatchObject({
      status: 'failed',
      run: `cells/${first().id}`,
      error: 'the global gradient norm is NaN',
    });
    // Retrying removes the old record when the cell starts again.
    const retried = await openSweepStore(dir, sweep, cells, { retryFailed: true });
    expect(retried.pending[0]?.id).toBe(first().id);
    await retried.start(first());
    expect(existsSync(join(dir, 'cells', first().id))).toBe(false);
    expect((await readSweep(dir)).cells[0]).toMatchObject({ status: 'running', run: null });
  });

  test('a released cell is pending again', async () => {
    const dir = fresh();
    const store = await openSweepStore(dir, sweep, cells);
    await store.start(first());
    await store.release(first());
    expect((await readSweep(dir)).cells[0]).toMatchObject({ status: 'pending', attempts: 1 });
  });

  test('a directory that is not a sweep is refused and left as it was', async () => {
    const dir = fresh();
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const e = await openSweepStore(dir, sweep, cells).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GradlabError);
    expect((e as GradlabError).code).toBe('RECORD_EXISTS');
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  test('an edited sweep.json is named with the field that is wrong', async () => {
    const dir = fresh();
    await runAll(dir);
    const file = JSON.parse(await readFile(join(dir, 'sweep.json'), 'utf8'));
    file.cells[1].status = 'finished';
    await writeFile(join(dir, 'sweep.json'), JSON.stringify(file));
    const e = await readSweep(dir).catch((x: unknown) => x);
    expect((e as GradlabError).code).toBe('INVALID_SWEEP');
    expect((e as GradlabError).message).toContain('cells.1.status');
  });

  test('readSweep refuses a sweep.json of a newer format version, naming it', async () => {
    const dir = fresh();
    await runAll(dir);
    const path = join(dir, 'sweep.json');
    const file = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...file, gradlab: 2 }));
    const e = await readSweep(dir).catch((x: unknown) => x);
    expect((e as GradlabError).code).toBe('INVALID_SWEEP');
    expect((e as GradlabError).message).toMatch(
      /sweep\.json is in sweep format version 2, from a newer gradlab/,
    );
  });
});
