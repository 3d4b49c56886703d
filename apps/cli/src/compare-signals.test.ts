import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StopSignal } from './stop-signals.js';
import { bin, gradlab } from './test-cli.js';

// `gradlab compare` stopped by a signal behaves as `gradlab run` does: the run that finished is
// kept, the one interrupted is kept marked cancelled (never a partial), comparison.json says the
// comparison was cancelled, and the exit code is 128 + the signal's number.

let work: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (pnpm build)`);
  work = mkdtempSync(join(tmpdir(), 'gradlab-compare-signals-'));
});

/**
 * Starts `gradlab compare ...args` with two runs of 1,500 steps (a few seconds each), sends
 * `signal` as soon as the second run starts, and returns the exit code and stderr.
 */
async function stopSecondRun(
  args: readonly string[],
  signal: StopSignal,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'compare', 'tiny', ...args, '--steps', '1500'], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  const started = new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('[2/2]')) resolve();
    });
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  await Promise.race([started, closed]);
  child.kill(signal);
  return { code: await closed, stderr };
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

const cases = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const;

describe('gradlab compare stopped by a signal', () => {
  it.each(cases)(
    '--backends, %s: the finished run kept, the interrupted one cancelled, exit %i',
    async (signal, code) => {
      const out = join(work, `backends-${signal}`);
      const r = await stopSecondRun(['--backends', 'cpu,wasm', '--out', out], signal);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toContain(
        `gradlab: stopped by ${signal}; the comparison is kept in ${out} (finished: cpu; interrupted, kept marked cancelled: wasm).`,
      );
      expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
      // Whole run directories only: no staging directory of the interrupted run.
      expect(readdirSync(out).sort()).toEqual([
        'comparison.html',
        'comparison.json',
        'cpu',
        'wasm',
      ]);
      expect(readJson(join(out, 'cpu', 'run.json')).status).toBe('complete');
      const wasm = readJson(join(out, 'wasm', 'run.json'));
      expect(wasm.status).toBe('cancelled');
      expect(wasm.result.stepsCompleted).toBeLessThan(1500);
      const comparison = readJson(join(out, 'comparison.json'));
      expect(comparison.status).toBe('cancelled');
      expect(comparison.backends.map((b: { backend: string }) => b.backend)).toEqual([
        'cpu',
        'wasm',
      ]);
      expect(gradlab(['report', join(out, 'wasm'), '--format', 'md']).status).toBe(0);
    },
    120_000,
  );

  it.each(cases)(
    '--with, %s: the baseline kept, the variant interrupted is cancelled, exit %i',
    async (signal, code) => {
      const out = join(work, `with-${signal}`);
      const r = await stopSecondRun(
        ['--with', 'relu+he-init', '--backend', 'cpu', '--out', out],
        signal,
      );
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toContain(
        `gradlab: stopped by ${signal}; the comparison is kept in ${out} (finished: baseline; interrupted, kept marked cancelled: relu+he-init).`,
      );
      expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(readdirSync(out).sort()).toEqual([
        'baseline',
        'comparison.html',
        'comparison.json',
        'relu+he-init',
      ]);
      expect(readJson(join(out, 'baseline', 'run.json')).status).toBe('complete');
      expect(readJson(join(out, 'relu+he-init', 'run.json')).status).toBe('cancelled');
      const comparison = readJson(join(out, 'comparison.json'));
      expect(comparison.status).toBe('cancelled');
      expect(comparison.rows.map((row: { status: string }) => row.status)).toEqual([
        'complete',
        'cancelled',
      ]);
    },
    120_000,
  );
});
