import { chmodSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

// Every command with --out refuses a path it cannot write before it loads or trains anything:
// exit 2, one line naming --out, the value and the problem, no stack trace, nothing written.
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'gradlab-out-'));
  writeFileSync(join(work, 'a-file'), 'x');
});

const commands: Record<string, string[]> = {
  run: ['run', 'tiny', '--backend', 'cpu'],
  compare: ['compare', 'tiny', '--with', 'relu', '--backend', 'cpu'],
  sweep: ['sweep', 'depth-x-init', '--workers', '1'],
  verify: ['verify', 'rosenbrock', '--fast', '--backend', 'cpu'],
  report: ['report', 'runs/some-run'],
};

function refuses(args: string[], out: string, message: RegExp): void {
  const started = Date.now();
  const r = gradlab([...args, '--out', out], { cwd: work });
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/^gradlab: --out "/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.status).toBe(2);
  // Refused up front: not after a run (nor a hang in /proc).
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(readdirSync(work)).toEqual(['a-file']);
}

describe.each(Object.keys(commands))('gradlab %s --out', (name) => {
  const args = commands[name] as string[];

  it('refuses an empty path', () => refuses(args, '', /--out "": the path is empty/));

  it('refuses a path under a file (ENOTDIR)', () =>
    refuses(args, 'a-file/out', /a-file is a file, so nothing can be created under it/));

  it('refuses a name longer than the filesystem allows (ENAMETOOLONG)', () =>
    refuses(args, 'x'.repeat(300), /is 300 bytes long; a (directory|file) name may have at most/));

  // Every root with run; /proc (where a run used to hang) with every command.
  const pseudo = [
    '/proc/gradlab-out',
    ...(name === 'run' ? ['/sys/gradlab-out', '/dev/gradlab-out'] : []),
  ];
  it.runIf(process.platform === 'linux').each(pseudo)(
    'refuses %s, a kernel pseudo-filesystem',
    (out) => refuses(args, out, /is a kernel pseudo-filesystem, not storage/),
  );

  // Root writes anywhere, so only an ordinary user can see this; the helper's unit test covers it.
  it.skipIf(process.getuid?.() === 0)('refuses a directory it cannot write to', () => {
    const locked = join(work, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    try {
      const r = gradlab([...args, '--out', join(locked, 'out')], { cwd: work });
      expect(r.stderr).toMatch(/locked is not writable by this user/);
      expect(r.status).toBe(2);
      expect(readdirSync(locked)).toEqual([]);
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});
