import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAGING_OWNER } from '@gradlab/core/node';
import { describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

/** A partial run as a writer leaves it, owned by `pid` on `host`. */
function partial(runs: string, name: string, pid: number, host = hostname()): string {
  const dir = join(runs, `.${name}.partial-0123abcd`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, STAGING_OWNER), JSON.stringify({ pid, host, startedAt: 'x' }));
  writeFileSync(join(dir, 'metrics.jsonl'), '{"step":1,"loss":1,"ms":1}\n');
  return dir;
}

/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

describe('gradlab runs clean', () => {
  it('removes partials whose process is gone, never one in progress or from another machine', () => {
    const runs = join(mkdtempSync(join(tmpdir(), 'gradlab-clean-')), 'runs');
    const gone = partial(runs, 'gone', deadPid());
    const live = partial(runs, 'live', process.pid); // this test's process: alive
    const away = partial(runs, 'away', deadPid(), 'another-machine');

    const dry = gradlab(['runs', 'clean', '--runs-dir', runs, '--dry-run']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/would remove .*\.gone\.partial/);
    expect(existsSync(gone)).toBe(true);

    const young = gradlab(['runs', 'clean', '--runs-dir', runs, '--older-than', '1h']);
    expect(young.stdout).toMatch(/kept .*\.gone\.partial.*within --older-than/);
    expect(existsSync(gone)).toBe(true);

    const r = gradlab(['runs', 'clean', '--runs-dir', runs]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(r.stdout).toMatch(/kept .*\.live\.partial.*in progress: process/);
    expect(existsSync(away)).toBe(true);
    expect(r.stdout).toMatch(/kept .*\.away\.partial.*another-machine/);

    expect(gradlab(['runs', 'clean', '--older-than', 'soon']).status).toBe(2);
  });

  it('gradlab run mentions the abandoned partials of its runs directory, on one line', () => {
    const runs = join(mkdtempSync(join(tmpdir(), 'gradlab-stale-')), 'runs');
    partial(runs, 'old', deadPid());
    partial(runs, 'live', process.pid);
    const r = gradlab([
      'run',
      'tiny',
      '--backend',
      'cpu',
      '--steps',
      '1',
      '-q',
      '--out',
      join(runs, 'new'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('unfinished run'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /holds an unfinished run whose process is gone: `gradlab runs clean --runs-dir .* --finish`/,
    );
    expect(readdirSync(runs)).toContain('new');
  });
});
