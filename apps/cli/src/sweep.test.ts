import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPresets } from '@gradlab/experiments';
import {
  CRASH_CELLS_ENV,
  expandSweep,
  parseSweep,
  type SweepEntry,
  type SweepFile,
  type SweepSpecInput,
} from '@gradlab/sweep';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, gradlab } from './test-cli.js';

let work: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (pnpm build)`);
  work = mkdtempSync(join(tmpdir(), 'gradlab-sweep-'));
});

/** 4 cells of `tiny`, 3 steps each, on cpu: two depths, two seeds. */
const fourCells: SweepSpecInput = {
  gradlab: 1,
  name: 'four',
  base: 'tiny',
  grid: { 'model.depth': [3, 4], 'training.steps': [3] },
  seeds: [0, 1],
  backends: ['cpu'],
};

const presets = Object.fromEntries(listPresets().map((p) => [p.name, p.spec]));
const idsOf = (s: SweepSpecInput) => expandSweep(parseSweep(s), { presets }).map((c) => c.id);

function writeSweep(name: string, content: unknown): string {
  const path = join(work, `${name}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const readIndex = (out: string): SweepFile =>
  JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));

/** The JSON Lines of `--json`, parsed; the last is the summary. */
function jsonLines(stdout: string): { type: string; [k: string]: unknown }[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** Every entry that claims a result has its whole run record: `gradlab report` reads it. */
function expectRecordsOfDoneEntries(out: string, entries: readonly SweepEntry[]): void {
  for (const e of entries.filter((x) => x.status === 'done')) {
    expect(e.run).toBe(`cells/${e.id}`);
    const dir = join(out, e.run as string);
    expect(readdirSync(dir).sort()).toEqual([
      'metrics.jsonl',
      'report.html',
      'run.json',
      'spec.json',
    ]);
    const r = gradlab(['report', dir, '--format', 'md', '--out', join(work, `${e.id}.md`)]);
    expect(r.status, r.stderr).toBe(0);
  }
}

describe('gradlab sweep: bad sweeps exit 2 naming the path and value, and write nothing', () => {
  const rejected = (name: string, sweep: unknown, extra: string[] = []) => {
    const out = join(work, `bad-${name}`);
    const r = gradlab(['sweep', writeSweep(name, sweep), '--out', out, ...extra]);
    expect(r.status, r.stderr).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(r.stdout).toBe('');
    return r.stderr;
  };

  it('an unknown path', () => {
    const err = rejected('path', { ...fourCells, grid: { 'model.dpeth': [3, 4] } });
    expect(err).toContain('path.json is not a valid gradlab sweep');
    expect(err).toContain('grid["model.dpeth"]: no such field in the spec');
    expect(err).toContain('Did you mean "model.depth"?');
  });

  it('a value the spec rejects', () => {
    const err = rejected('value', { ...fourCells, grid: { 'model.depth': [3, -1] } });
    expect(err).toContain(
      'grid["model.depth"][1]: -1 is not accepted: model.depth: Too small: expected number to be >=1; got -1',
    );
  });

  it('an empty grid', () => {
    const err = rejected('empty', { ...fourCells, grid: { 'model.depth': [] } });
    expect(err).toContain('grid["model.depth"]: an empty list of values makes no cells');
  });

  it('an unknown backend and an unknown mitigation', () => {
    const err = rejected('names', {
      ...fourCells,
      backends: ['cpu', 'tpu'],
      mitigations: ['nope'],
    });
    expect(err).toContain('mitigations[0]: unknown mitigation "nope"');
    const err2 = rejected('backend', { ...fourCells, backends: ['cpu', 'tpu'] });
    expect(err2).toContain('backends[1]: unknown backend "tpu"');
  });

  it('more cells than the limit without --yes: the count and estimate come first', () => {
    const many = { ...fourCells, name: 'many', seeds: Array.from({ length: 51 }, (_, i) => i) };
    const err = rejected('many', many);
    const lines = err.trim().split('\n');
    expect(lines[0]).toMatch(/^many: 102 cells, about \d+ (s|min) with \d+ workers? \(rough\)$/);
    expect(err).toContain('makes 102 cells, more than 100');
    expect(err).toContain('pass --yes to run them all');
  });

  it('schema --sweep prints the JSON Schema of sweep files', () => {
    const r = gradlab(['schema', '--sweep']);
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.title).toBe('gradlab sweep, version 1');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['base', 'grid', 'mitigations', 'seeds', 'backends', 'variants']),
    );
  });
});

describe('gradlab sweep: runs, resumes, survives crashes', () => {
  it('runs 4 cells on 2 workers, writes sweep.json and readable records; a rerun runs nothing', () => {
    const out = join(work, 'four');
    const file = writeSweep('four', fourCells);
    const r = gradlab(['sweep', file, '--workers', '2', '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines[0]).toMatchObject({ type: 'plan', cells: 4, toRun: 4, kept: 0, workers: 2 });
    expect(lines.filter((l) => l.type === 'cell')).toHaveLength(4);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', ran: 4, done: 4, failed: 0 });

    const index = readIndex(out);
    expect(index.cells.map((e) => e.id)).toEqual(idsOf(fourCells));
    for (const e of index.cells) {
      expect(e).toMatchObject({ status: 'done', backend: 'cpu', steps: 3, attempts: 1 });
      expect(e.params).toHaveProperty('model.depth');
      expect(e.layers?.length).toBe(e.params['model.depth']);
      expect(typeof e.finalLoss).toBe('number');
    }
    expectRecordsOfDoneEntries(out, index.cells);

    const mtimes = index.cells.map((e) => statSync(join(out, `cells/${e.id}/run.json`)).mtimeMs);
    const again = gradlab(['sweep', file, '--workers', '2', '--out', out, '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(jsonLines(again.stdout).at(-1)).toMatchObject({ ran: 0, kept: 4, done: 4 });
    expect(index.cells.map((e) => statSync(join(out, `cells/${e.id}/run.json`)).mtimeMs)).toEqual(
      mtimes,
    );

    // The human summary: a table of the cells and where they are.
    const human = gradlab(['sweep', file, '--out', out]);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/model\.depth\s.*seed\s.*verdict\s.*final loss/);
    expect(human.stdout).toContain('four: 4 of 4 cells done');
    expect(human.stdout).toContain('0 cells ran now');
  });

  it('a cell that kills its worker is recorded failed, the others complete; --retry-failed reruns it', () => {
    const out = join(work, 'crash');
    const file = writeSweep('crash', fourCells);
    const victim = idsOf(fourCells)[1] as string;
    const r = gradlab(['sweep', file, '--workers', '2', '--out', out, '--json'], {
      env: { [CRASH_CELLS_ENV]: victim },
    });
    expect(r.status, r.stderr).toBe(1);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ ran: 4, done: 3, failed: 1 });
    const index = readIndex(out);
    const failed = index.cells.find((e) => e.id === victim);
    expect(failed).toMatchObject({ status: 'failed', run: null, verdict: null, attempts: 1 });
    expect(failed?.error).toContain('its worker process was killed by SIGKILL');
    expect(existsSync(join(out, 'cells', victim))).toBe(false);
    expect(index.cells.filter((e) => e.status === 'done')).toHaveLength(3);
    expectRecordsOfDoneEntries(out, index.cells);

    // Without --retry-failed, the failure is kept (exit 1 again, nothing runs).
    const kept = gradlab(['sweep', file, '--out', out, '--json']);
    expect(kept.status).toBe(1);
    expect(jsonLines(kept.stdout).at(-1)).toMatchObject({ ran: 0, failed: 1 });

    const retried = gradlab(['sweep', file, '--out', out, '--retry-failed', '--json']);
    expect(retried.status, retried.stderr).toBe(0);
    expect(jsonLines(retried.stdout).at(-1)).toMatchObject({ ran: 1, done: 4, failed: 0 });
    expect(readIndex(out).cells.find((e) => e.id === victim)).toMatchObject({
      status: 'done',
      attempts: 2,
      error: null,
    });
  });

  it('kill -9 mid-sweep: every done entry has its whole record, no worker outlives it, a rerun finishes', async () => {
    const out = join(work, 'killed');
    // Six cells of about half a second each, one worker: the kill lands mid-sweep.
    const sweep = {
      ...fourCells,
      name: 'killed',
      grid: { 'model.depth': [3, 4, 5], 'training.steps': [150] },
      backends: ['wasm'],
    };
    const file = writeSweep('killed', sweep);
    const mark = `gradlab-sweep-test-${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, [bin, 'sweep', file, '--workers', '1', '--out', out], {
      env: { ...process.env, NO_COLOR: '1', GRADLAB_TEST_MARK: mark },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const doneCount = () => {
      try {
        return readIndex(out).cells.filter((e) => e.status === 'done').length;
      } catch {
        return 0; // not written yet
      }
    };
    while (doneCount() < 1) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await exited;

    const index = readIndex(out);
    const done = index.cells.filter((e) => e.status === 'done');
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done.length).toBeLessThan(6);
    expectRecordsOfDoneEntries(out, index.cells);
    for (const e of index.cells.filter((x) => x.status !== 'done')) {
      expect(e).toMatchObject({ run: null, verdict: null, finalLoss: null });
    }

    // The worker saw its channel close and exited: no process carries the test's mark.
    if (process.platform === 'linux') {
      const marked = () =>
        readdirSync('/proc')
          .filter((p) => /^\d+$/.test(p))
          .filter((p) => {
            try {
              return readFileSync(`/proc/${p}/environ`, 'utf8').includes(mark);
            } catch {
              return false;
            }
          });
      for (let i = 0; i < 100 && marked().length > 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(marked()).toEqual([]);
    }

    // The killed sweep's lock is still there; its process is gone, so the rerun takes it over.
    expect(existsSync(join(out, 'sweep.lock'))).toBe(true);
    const resumed = gradlab(['sweep', file, '--out', out, '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(existsSync(join(out, 'sweep.lock'))).toBe(false);
    const summary = jsonLines(resumed.stdout).at(-1);
    expect(summary).toMatchObject({ done: 6, failed: 0 });
    // Cells done before the kill were kept (a record written just before it counts too).
    expect(summary?.ran).toBeLessThanOrEqual(6 - done.length);
    expectRecordsOfDoneEntries(out, readIndex(out).cells);
  });

  it('a second sweep in the same directory is refused while the first runs, and nothing of the first is touched', async () => {
    const out = join(work, 'busy');
    const sweep = {
      ...fourCells,
      name: 'busy',
      grid: { 'model.depth': [3, 4], 'training.steps': [150] },
      backends: ['wasm'],
    };
    const file = writeSweep('busy', sweep);
    const child = spawn(process.execPath, [bin, 'sweep', file, '--workers', '1', '--out', out], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    while (!existsSync(join(out, 'sweep.json'))) await new Promise((r) => setTimeout(r, 25));
    const second = gradlab(['sweep', file, '--out', out]);
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(
      `another gradlab sweep is running in ${out} (process ${child.pid},`,
    );
    expect(await exited).toBe(0);
    expect(readIndex(out).cells.every((e) => e.status === 'done')).toBe(true);
    expect(existsSync(join(out, 'sweep.lock'))).toBe(false);
  });

  it('a reader that goes away (`--json | head -1`) does not stop the sweep: every cell is recorded, exit 0', async () => {
    const out = join(work, 'pipe');
    const file = writeSweep('pipe', { ...fourCells, name: 'pipe' });
    const child = spawn(
      process.execPath,
      [bin, 'sweep', file, '--workers', '1', '--out', out, '--json'],
      {
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    // Read the plan line, then close the pipe as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('EPIPE');
    expect(readIndex(out).cells.map((e) => e.status)).toEqual(['done', 'done', 'done', 'done']);
  });
});
