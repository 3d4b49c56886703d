import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SweepFile } from '@gradlab/sweep';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StopSignal } from './stop-signals.js';
import { bin, gradlab } from './test-cli.js';

// `gradlab sweep` stopped by each stop signal, not only Ctrl-C: a closed terminal (SIGHUP) or a
// service manager (SIGTERM) must leave the same resumable sweep directory as Ctrl-C does.

let work: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (pnpm build)`);
  work = mkdtempSync(join(tmpdir(), 'gradlab-sweep-signals-'));
});

const readIndex = (out: string): SweepFile =>
  JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));

/** sweep.json as it is now; null before it is first written. */
function indexNow(out: string): SweepFile | null {
  try {
    return readIndex(out);
  } catch {
    return null;
  }
}

/**
 * Starts a sweep of six cells (about half a second each) on one worker, waits until one cell is
 * done and another is running, sends `signal`, and returns the exit code and stderr.
 */
async function stopSweep(
  signal: StopSignal,
  file: string,
  out: string,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'sweep', file, '--workers', '1', '--out', out], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  for (;;) {
    const cells = indexNow(out)?.cells ?? [];
    const done = cells.some((e) => e.status === 'done');
    if (done && cells.some((e) => e.status === 'running')) break;
    if (child.exitCode !== null) throw new Error(`the sweep ended before the signal: ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill(signal);
  return { code: await closed, stderr };
}

describe('gradlab sweep stopped by a signal', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s: cells in flight are pending again, sweep.json is whole, exit %i, a rerun finishes the rest',
    async (signal, code) => {
      const name = `stopped-${signal.toLowerCase()}`;
      const file = join(work, `${name}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          gradlab: 1,
          name,
          base: 'tiny',
          grid: { 'model.depth': [3, 4, 5], 'training.steps': [150] },
          seeds: [0, 1],
          backends: ['wasm'],
        }),
      );
      const out = join(work, name);
      const stopped = await stopSweep(signal, file, out);
      expect(stopped.code, stopped.stderr).toBe(code);
      expect(stopped.stderr).not.toMatch(/unexpected error|\n\s+at /);

      const index = readIndex(out);
      const done = index.cells.filter((e) => e.status === 'done');
      expect(done.length).toBeGreaterThanOrEqual(1);
      expect(done.length).toBeLessThan(6);
      // Nothing is left "running": the cell in flight went back to pending, holding no record.
      for (const e of index.cells) expect(['done', 'pending']).toContain(e.status);
      for (const e of index.cells.filter((x) => x.status === 'pending')) {
        expect(e).toMatchObject({ run: null, verdict: null, finalLoss: null });
        expect(existsSync(join(out, 'cells', e.id))).toBe(false);
      }
      for (const e of done) {
        expect(readdirSync(join(out, e.run as string))).toContain('run.json');
      }
      // No staging directory of the interrupted cell, and the lock is released.
      expect(readdirSync(join(out, 'cells')).sort()).toEqual(done.map((e) => e.id).sort());
      expect(existsSync(join(out, 'sweep.lock'))).toBe(false);

      const rerun = gradlab(['sweep', file, '--workers', '1', '--out', out]);
      expect(rerun.status, rerun.stderr).toBe(0);
      expect(rerun.stderr).toContain(`${done.length} cells kept from before`);
      const after = readIndex(out);
      expect(after.cells.map((e) => e.status)).toEqual(Array(6).fill('done'));
      // The cells done before the signal were kept, not run again.
      for (const e of done) {
        expect(after.cells.find((x) => x.id === e.id)?.finishedAt).toBe(e.finishedAt);
      }
    },
    120_000,
  );
});
