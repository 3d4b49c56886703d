import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStagingName, readRunRecord } from '@gradlab/core/node';
import { describe, expect, it } from 'vitest';
import { bin, gradlab } from './test-cli.js';

// `gradlab run` killed with SIGKILL at random moments: before the staging directory exists,
// while it trains, and just as it writes run.json, renames the directory and draws the report.
// Whatever the moment, no directory may claim a run without its full record, no record may be
// unreadable, and `gradlab runs clean --finish` must leave only readable runs.
const KILLS = 24;
const LANES = 2;
const STEPS = 40;
const seed = Number(process.env.GRADLAB_KILL_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: a small seeded generator, so that a failing sequence of kills can be replayed. */
function random(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Moment = { after: 'spawn' | 'first step' | 'last step'; ms: number };

function moments(): Moment[] {
  const rand = random(seed);
  return Array.from({ length: KILLS }, (_, i): Moment => {
    // Every third kill lands in the final write (the last step's line, then 0-40 ms).
    if (i % 3 === 0) return { after: 'last step', ms: Math.floor(rand() * 40) };
    if (i % 3 === 1) return { after: 'first step', ms: Math.floor(rand() * 300) };
    return { after: 'spawn', ms: Math.floor(rand() * 2000) };
  });
}

/** Runs gradlab, SIGKILLs it at `m` (or lets it end first); resolves when it is gone. */
function killAt(m: Moment, out: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [bin, 'run', 'tiny', '--backend', 'cpu', '--steps', String(STEPS), '--out', out],
    { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const kill = () => setTimeout(() => child.kill('SIGKILL'), m.ms);
  const cue = m.after === 'first step' ? 'step 1/' : `step ${STEPS}/${STEPS}`;
  let stderr = '';
  let cued = false;
  if (m.after === 'spawn') kill();
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!cued && m.after !== 'spawn' && stderr.includes(cue)) {
      cued = true;
      kill();
    }
  });
  return new Promise((resolve) => child.on('close', () => resolve()));
}

/** `gradlab report DIR --format md`'s exit code. */
function report(dir: string): Promise<number | null> {
  const child = spawn(process.execPath, [bin, 'report', dir, '--format', 'md'], {
    stdio: 'ignore',
  });
  return new Promise((resolve) => child.on('close', resolve));
}

/** The invariants, after every kill. */
async function checkRunsDir(runs: string): Promise<void> {
  for (const name of existsSync(runs) ? readdirSync(runs) : []) {
    const path = join(runs, name);
    if (isStagingName(name)) {
      // A partial is never taken for a run: it is named as one, and hidden.
      expect(name.startsWith('.')).toBe(true);
      continue;
    }
    // A run directory exists only complete: run.json and what it describes, all readable.
    expect(readdirSync(path), `${name} (seed ${seed})`).toContain('run.json');
    const record = await readRunRecord(path);
    expect(record.metrics.length, `${name} (seed ${seed})`).toBe(
      record.manifest.result.stepsCompleted,
    );
  }
}

describe('gradlab run killed with SIGKILL at random moments', () => {
  it(`${KILLS} kills leave only complete records or partials (seed printed)`, async () => {
    console.log(`kill-nine.test.ts: seed ${seed} (GRADLAB_KILL_SEED=${seed} replays it)`);
    const runs = join(mkdtempSync(join(tmpdir(), 'gradlab-kill-')), 'runs');
    const plan = moments();
    for (let i = 0; i < KILLS; i += LANES) {
      const lane = plan.slice(i, i + LANES);
      await Promise.all(lane.map((m, j) => killAt(m, join(runs, `k${i + j}`))));
      await checkRunsDir(runs);
    }
    const names = readdirSync(runs);
    const partials = names.filter(isStagingName);
    console.log(
      `kill-nine.test.ts: ${names.length - partials.length} complete runs, ${partials.length} partials`,
    );

    // Every partial's process is gone: runs clean --finish completes or removes each one.
    const clean = gradlab(['runs', 'clean', '--runs-dir', runs, '--finish']);
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    expect(readdirSync(runs).filter(isStagingName)).toEqual([]);
    await checkRunsDir(runs);
    console.log(`kill-nine.test.ts: ${clean.stderr.trim()}`);
    // And the report reads every record: the run's own and those --finish completed.
    const dirs = readdirSync(runs);
    for (let i = 0; i < dirs.length; i += LANES) {
      const codes = await Promise.all(dirs.slice(i, i + LANES).map((d) => report(join(runs, d))));
      expect(codes, `${dirs.slice(i, i + LANES)} (seed ${seed})`).toEqual(codes.map(() => 0));
    }
  }, 120_000);
});
