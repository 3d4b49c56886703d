import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STOP_SIGNALS, type StopSignal } from './stop-signals.js';
import { bin, gradlab } from './test-cli.js';

/** Starts `gradlab run`, sends `signal` once it has trained a step, returns its exit code. */
async function stopRun(signal: StopSignal, out: string): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [bin, 'run', 'tiny', '--backend', 'cpu', '--steps', '100000', '--out', out],
    { env: { ...process.env, NO_COLOR: '1' } },
  );
  let stderr = '';
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/step \d+\/100000/.test(stderr)) resolve();
    });
  });
  child.kill(signal);
  return new Promise((resolve) => child.on('close', resolve));
}

describe('gradlab run stopped by a signal', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s: the record is kept, marked cancelled, exit %i, no partial left',
    async (signal, code) => {
      const root = mkdtempSync(join(tmpdir(), `gradlab-${signal}-`));
      const out = join(root, 'run');
      expect(await stopRun(signal, out)).toBe(code);
      const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
      expect(run.status).toBe('cancelled');
      expect(run.result.stepsCompleted).toBeGreaterThan(0);
      expect(readdirSync(root)).toEqual(['run']); // no .run.partial-* beside it
      expect(gradlab(['report', out, '--format', 'md']).status).toBe(0);
    },
  );

  it('every stop signal is covered above', () => {
    expect([...STOP_SIGNALS].sort()).toEqual(['SIGHUP', 'SIGINT', 'SIGTERM']);
  });
});
