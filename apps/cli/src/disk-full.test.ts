import { readdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';
import { mountTmpfs, type TestMount } from './test-mount.js';

// A real full disk: a small tmpfs, filled so that a run's files fit but its run.json does not.
// Where mounting is not permitted the same failure is injected in
// packages/core/src/record/final-write-failure.test.ts, which runs everywhere.
const PAGE = 4096;
const pages = (path: string) => Math.ceil(statSync(path).size / PAGE);
const run = ['run', 'deep-sigmoid', '--backend', 'cpu', '--steps', '5', '-q'];

let disk: TestMount;
beforeAll(() => {
  disk = mountTmpfs('size=2m');
  if ('skip' in disk) console.log(`disk-full.test.ts skipped: ${disk.skip}`);
});
afterAll(() => {
  if ('unmount' in disk) disk.unmount();
});

describe('a disk that fills up before run.json is written', () => {
  it('keeps the finished run, says where and why (exit 1), and runs clean --finish completes it', (ctx) => {
    if ('skip' in disk) return ctx.skip();
    const { dir } = disk;
    // How much the run needs: the same run once, with room.
    const cal = gradlab([...run, '--out', join(dir, 'cal')]);
    expect(cal.status, cal.stderr).toBe(0);
    const calRun = JSON.parse(readFileSync(join(dir, 'cal', 'run.json'), 'utf8'));
    const staged = pages(join(dir, 'cal', 'metrics.jsonl')) + pages(join(dir, 'cal', 'spec.json'));
    const runJson = pages(join(dir, 'cal', 'run.json'));
    expect(runJson).toBeGreaterThanOrEqual(3); // else the margin below is too thin
    rmSync(join(dir, 'cal'), { recursive: true });
    // Leave room for the staged files (+1 page for the owner file, +1 for a metrics file a
    // little longer this time), not for run.json.
    const free = statfsSync(dir).bavail;
    writeFileSync(join(dir, 'filler'), Buffer.alloc((free - staged - 2) * PAGE));

    const full = gradlab([...run, '--out', join(dir, 'run')]);
    expect(full.status, full.stderr).toBe(1);
    expect(full.stderr).toMatch(/could not be completed .*ENOSPC: the disk is full/);
    expect(full.stderr).not.toMatch(/unexpected error|\n\s+at /);
    const partials = readdirSync(dir).filter((n) => n.startsWith('.run.partial-'));
    expect(partials).toHaveLength(1);
    const staging = join(dir, partials[0] as string);
    expect(full.stderr).toContain(staging);
    expect(readdirSync(dir)).not.toContain('run'); // no directory claims completion
    const rows = readFileSync(join(staging, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(5);

    // With room again, the partial is completed, marked recovered, and reads as a run.
    rmSync(join(dir, 'filler'));
    const dry = gradlab(['runs', 'clean', '--runs-dir', dir, '--dry-run', '--finish']);
    expect(dry.stdout).toContain('would finish');
    expect(readdirSync(dir)).toContain(partials[0]);
    const clean = gradlab(['runs', 'clean', '--runs-dir', dir, '--finish']);
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['run']);
    const recovered = JSON.parse(readFileSync(join(dir, 'run', 'run.json'), 'utf8'));
    expect(recovered.recovered.missing.length).toBeGreaterThan(0);
    expect(recovered.status).toBe('complete');
    // Everything the metrics determine is what the run itself wrote (same seed, same backend).
    for (const key of ['stepsCompleted', 'verdict', 'worstVerdict', 'firstProblems', 'loss']) {
      expect(recovered.result[key], key).toEqual(calRun.result[key]);
    }
    expect(recovered.backend).toEqual(calRun.backend);
    const report = gradlab(['report', join(dir, 'run'), '--format', 'md']);
    expect(report.status, report.stderr).toBe(0);
  });
});

describe('a read-only runs directory', () => {
  it('is a clear message and exit 1, not a stack trace, and nothing is written', () => {
    const ro = mountTmpfs('ro,size=64k');
    if ('skip' in ro) {
      console.log(`read-only test skipped: ${ro.skip}`);
      return;
    }
    try {
      // No --out: the default runs/ directory, which --out's own checks do not see.
      const r = gradlab(['run', 'tiny', '--backend', 'cpu', '--steps', '2'], { cwd: ro.dir });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        /cannot write a run record to runs\/.*EROFS: the filesystem is read-only/,
      );
      expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(readdirSync(ro.dir)).toEqual([]);
    } finally {
      ro.unmount();
    }
  });
});
