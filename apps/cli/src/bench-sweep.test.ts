import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWorkerCounts } from './commands/bench-sweep.js';
import { gradlab } from './test-cli.js';

describe('gradlab bench --sweep', () => {
  it('times the whole sweep with each worker count, rounds interleaved, and leaves nothing behind', () => {
    const work = mkdtempSync(join(tmpdir(), 'gradlab-bench-sweep-test-'));
    const file = join(work, 'two.json');
    writeFileSync(
      file,
      JSON.stringify({
        gradlab: 1,
        name: 'two',
        base: 'tiny',
        grid: { 'model.depth': [3, 4], 'training.steps': [2] },
        backends: ['cpu'],
      }),
    );
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('gradlab-bench-'));
    const { status, stdout, stderr } = gradlab([
      'bench',
      '--sweep',
      file,
      '--workers',
      '1,2',
      '--rounds',
      '2',
      '--json',
    ]);
    expect(status, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ sweep: file, cells: 2, rounds: 2 });
    expect(out.rows.map((r: { workers: number }) => r.workers)).toEqual([1, 2]);
    for (const r of out.rows) {
      expect(r.samples).toHaveLength(2);
      expect(r.seconds).toBeGreaterThan(0);
      expect(r.cellsPerSecond).toBeCloseTo(2 / r.seconds, 6);
    }
    const [one, two] = out.rows;
    expect(one.speedup).toBe(1);
    expect(two.speedup).toBeCloseTo(one.seconds / two.seconds, 6);
    // The ceiling: two warm processes of the first cell side by side, over one. Whatever the
    // machine, two processes do more than none of the work and less than three times one's.
    expect(one.ceiling).toBe(1);
    expect(two.ceiling).toBeGreaterThan(0.5);
    expect(two.ceiling).toBeLessThan(3);
    // Each timed sweep wrote into a directory of its own, removed afterwards.
    const after = readdirSync(tmpdir()).filter((n) => n.startsWith('gradlab-bench-'));
    expect(after.filter((n) => !before.includes(n))).toEqual([]);
  });

  it('a sweep that fails to start is reported with its message, exit 2', () => {
    const { status, stderr } = gradlab(['bench', '--sweep', 'no-such-sweep', '--rounds', '1']);
    expect(status).toBe(2);
    expect(stderr).toMatch(
      /gradlab sweep no-such-sweep --workers 1 exited with code 2: .*no-such-sweep/s,
    );
  });

  it('bad worker counts and options that do not apply are bad input, exit 2', () => {
    expect(() => parseWorkerCounts('1,0')).toThrow(
      /--workers: "1,0" is not a list of worker counts/,
    );
    expect(() => parseWorkerCounts('two')).toThrow(/whole numbers from 1 to 1024/);
    expect(parseWorkerCounts('2,1,2')).toEqual([2, 1]);
    const workersAlone = gradlab(['bench', '--workers', '2']);
    expect(workersAlone.status).toBe(2);
    expect(workersAlone.stderr).toContain('--workers: only with --sweep');
    const withVs = gradlab(['bench', '--sweep', 'depth-x-init', '--vs', 'pytorch']);
    expect(withVs.status).toBe(2);
    expect(withVs.stderr).toContain("option '--sweep <sweep>' cannot be used with option '--vs");
  });
});
