import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findStudy, plannedRuns, studyNames } from '@gradlab/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The sweep package's private Redis for tests (a real redis-server on a free port).
import {
  redisMissing,
  startRedis,
  type TestRedis,
} from '../../../packages/sweep/src/queue/test-redis.js';
import { type BackgroundWorker, bin, gradlab, startWorker } from './test-cli.js';

/**
 * `gradlab verify` on the sweep engine, end to end through the built command: a planned study's
 * training runs in worker processes, its judgement from the records, and a second verify of the
 * same directory that trains nothing and judges the same. pretraining is the cheapest study
 * that trains (two runs at its fast scale).
 */
const STUDY = 'pretraining';
const present = studyNames().includes(STUDY) && findStudy(STUDY).plan !== undefined;
if (!present) {
  console.warn(
    `verify-workers.test.ts: the planned study "${STUDY}" is not in the catalogue; skipped.`,
  );
}

const fresh = (prefix: string) => mkdtempSync(join(tmpdir(), `gradlab-verify-w-${prefix}-`));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

interface Verification {
  status: string;
  pass: boolean;
  checks: { id: string; pass: boolean; values?: Record<string, number | null> }[];
  runs: { label: string; status: string; record?: string }[];
}

/** The checks of the first local verify, for the queue's to equal. */
let localChecks: Verification['checks'] | null = null;

describe.skipIf(!present)('gradlab verify --workers: training runs on the sweep engine', () => {
  const labels = present ? plannedRuns(findStudy(STUDY), 'fast').map((r) => r.label) : [];
  const verify = (out: string, workers: number) =>
    gradlab([
      'verify',
      STUDY,
      '--fast',
      '--backend',
      'wasm',
      '--workers',
      String(workers),
      '--out',
      out,
    ]);

  it('two workers and one give the same checks; every run is a record in runs/cells; a rerun trains nothing', () => {
    const two = join(fresh('two'), 'out');
    const r2 = verify(two, 2);
    const v2: Verification = readJson(join(two, 'verify.json'));
    expect(r2.status, r2.stderr).toBe(v2.pass ? 0 : 1);
    expect(v2.status).toBe('complete');
    expect(r2.stderr).toContain(
      `${labels.length} training runs of 1 study: ${labels.length} to train on 2 workers`,
    );
    expect(v2.runs.map((r) => r.label)).toEqual(labels);
    for (const run of v2.runs) {
      expect(run.record).toMatch(/^runs\/cells\/[0-9a-f]{16}$/);
      const manifest = readJson(join(two, run.record as string, 'run.json'));
      expect(manifest.status).toBe(run.status);
    }
    const sweep = readJson(join(two, 'runs', 'sweep.json'));
    expect(sweep.cells.map((c: { params: { run: string } }) => c.params.run)).toEqual(labels);
    expect(sweep.cells.every((c: { status: string }) => c.status === 'done')).toBe(true);

    localChecks = v2.checks;
    const one = join(fresh('one'), 'out');
    const r1 = verify(one, 1);
    const v1: Verification = readJson(join(one, 'verify.json'));
    expect(r1.status, r1.stderr).toBe(r2.status);
    // The same experiments in other processes: the same numbers, check for check.
    expect(v1.checks).toEqual(v2.checks);

    // Resumed: the records are kept as they are (not trained again), the judgement is the same.
    const written = v2.runs.map((r) => statSync(join(two, r.record as string, 'run.json')).mtimeMs);
    const again = verify(two, 2);
    expect(again.status, again.stderr).toBe(r2.status);
    expect(again.stderr).toContain(`${labels.length} kept from before, none to train`);
    const resumed: Verification = readJson(join(two, 'verify.json'));
    expect(resumed.checks).toEqual(v2.checks);
    expect(v2.runs.map((r) => statSync(join(two, r.record as string, 'run.json')).mtimeMs)).toEqual(
      written,
    );
  });

  it('a --queue that is not a Redis URL exits 2 naming it, and nothing is written', () => {
    const cwd = fresh('bad-queue');
    const r = gradlab(['verify', STUDY, '--fast', '--queue', 'http://127.0.0.1:6379'], { cwd });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('--queue "http://127.0.0.1:6379": the scheme is "http"');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a directory that holds something else, or the verification of another study', () => {
    const other = fresh('other');
    const r = gradlab(['verify', 'rosenbrock', '--fast', '--out', other]);
    expect(r.status).toBe(0);
    const refused = verify(other, 1);
    expect(refused.status, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`it is not a verification of "${STUDY}"`);
    expect(readJson(join(other, 'verify.json')).name).toBe('rosenbrock');
  });
});

const missing = redisMissing();
if (missing) console.log(`skipping gradlab verify --queue: ${missing}`);

describe.skipIf(!present || missing)(
  'gradlab verify --queue (a real redis-server, a gradlab worker)',
  () => {
    let redis: TestRedis;
    let worker: BackgroundWorker;
    beforeAll(async () => {
      redis = await startRedis();
      worker = startWorker(redis.url, 'wasm', 2);
    });
    afterAll(async () => {
      worker.kill();
      await redis?.dispose();
    });

    it('the worker trains the runs, this command records and judges them: the same checks as locally', () => {
      const out = join(fresh('queue'), 'out');
      const r = gradlab([
        'verify',
        STUDY,
        '--fast',
        '--backend',
        'wasm',
        '--queue',
        redis.url,
        '--out',
        out,
      ]);
      const v: Verification = readJson(join(out, 'verify.json'));
      expect(r.status, `${r.stderr}\nworker: ${worker.output()}`).toBe(v.pass ? 0 : 1);
      expect(r.stderr).toContain('to train on the queue');
      expect(v.runs.every((run) => /^runs\/cells\/[0-9a-f]{16}$/.test(run.record ?? ''))).toBe(
        true,
      );
      if (localChecks) expect(v.checks).toEqual(localChecks);
      else expect(v.checks.length).toBeGreaterThan(0);
    });
  },
);

describe.skipIf(!present)('gradlab verify --workers, stopped', () => {
  it('SIGINT while the runs train: exit 130, the study marked cancelled, and the same command resumes it', async () => {
    const out = join(fresh('stop'), 'out');
    const args = ['verify', STUDY, '--fast', '--backend', 'wasm', '--workers', '1', '--out', out];
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        // The first run has finished: stop during the second.
        if (/\[1\/\d+\]/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code, stderr).toBe(130);
    const v = readJson(join(out, 'verify.json'));
    expect(v.status).toBe('cancelled');
    expect(v.error).toMatch(/cancelled with 1 of 2 runs recorded/);
    const sweep = readJson(join(out, 'runs', 'sweep.json'));
    expect(sweep.cells.map((c: { status: string }) => c.status).sort()).toEqual([
      'done',
      'pending',
    ]);

    const resumed = gradlab(args);
    expect(resumed.stderr).toContain('2 training runs of 1 study: 1 kept from before, 1 to train');
    const done = readJson(join(out, 'verify.json'));
    expect(done.status).toBe('complete');
    expect(resumed.status, resumed.stderr).toBe(done.pass ? 0 : 1);
    if (localChecks) expect(done.checks).toEqual(localChecks);
  });
});
