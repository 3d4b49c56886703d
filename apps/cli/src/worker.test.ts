import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SweepFile } from '@gradlab/sweep';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The sweep package's private Redis for tests (a real redis-server on a free port).
import {
  redisMissing,
  startRedis,
  type TestRedis,
} from '../../../packages/sweep/src/queue/test-redis.js';
import { type BackgroundWorker, bin, gradlab, startWorker } from './test-cli.js';

const missing = redisMissing();
if (missing) console.log(`skipping gradlab worker's Redis tests: ${missing}`);

let work: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (pnpm build)`);
  work = mkdtempSync(join(tmpdir(), 'gradlab-worker-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('gradlab worker and gradlab sweep --queue: bad input exits 2, naming the value', () => {
  it('refuses a URL that is not redis://', () => {
    const r = gradlab(['worker', '--queue', 'http://127.0.0.1:6379']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--queue "http://127.0.0.1:6379": the scheme is "http"');
    const s = gradlab(['sweep', 'depth-x-init', '--queue', 'redis://host:99999', '--out', work]);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain('the port 99999 is not between 1 and 65535');
    expect(readdirSync(work)).toEqual([]);
  });

  it('refuses an unknown --backend', () => {
    const r = gradlab(['worker', '--queue', 'redis://127.0.0.1:1', '--backend', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--backend "nope": unknown backend. Known backends:');
  });
});

describe.skipIf(missing)(
  'gradlab sweep --queue with a gradlab worker (a real redis-server)',
  () => {
    let redis: TestRedis;
    let worker: BackgroundWorker;
    beforeAll(async () => {
      redis = await startRedis();
      worker = startWorker(redis.url, 'cpu', 2);
    });
    afterAll(async () => {
      worker.kill();
      await redis?.dispose();
    });

    const sweepFile = () => {
      const path = join(work, 'four.json');
      writeFileSync(
        path,
        JSON.stringify({
          gradlab: 1,
          name: 'four',
          base: 'tiny',
          grid: { 'model.depth': [3, 4], 'training.steps': [3] },
          seeds: [0, 1],
          backends: ['cpu'],
        }),
      );
      return path;
    };

    it('the worker runs the cells, the sweep writes every record; a rerun runs nothing; SIGTERM stops the worker', async () => {
      const out = join(work, 'sweep');
      const file = sweepFile();
      const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
        (resolve) => {
          // Asynchronously: the worker's output is read meanwhile.
          const child = spawn(
            process.execPath,
            [bin, 'sweep', file, '--queue', redis.url, '--out', out, '--json'],
            { stdio: ['ignore', 'pipe', 'pipe'] },
          );
          let stdout = '';
          let stderr = '';
          child.stdout?.on('data', (d: Buffer) => {
            stdout += d.toString();
          });
          child.stderr?.on('data', (d: Buffer) => {
            stderr += d.toString();
          });
          child.on('exit', (status) => resolve({ status, stdout, stderr }));
        },
      );
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines[0]).toMatchObject({ type: 'plan', cells: 4, toRun: 4, queue: redis.url });
      expect(lines.filter((l) => l.type === 'cell')).toHaveLength(4);
      expect(lines.at(-1)).toMatchObject({ type: 'summary', ran: 4, done: 4, failed: 0 });

      const index: SweepFile = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
      expect(index.cells.map((e) => e.status)).toEqual(['done', 'done', 'done', 'done']);
      for (const e of index.cells) {
        // The record and the report drawn on the worker, written here.
        expect(readdirSync(join(out, e.run as string)).sort()).toEqual([
          'metrics.jsonl',
          'report.html',
          'run.json',
          'spec.json',
        ]);
        expect(worker.output()).toContain(`cell ${e.id} [cpu`);
      }

      const again = gradlab(['sweep', file, '--queue', redis.url, '--out', out, '--json']);
      expect(again.status, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
        ran: 0,
        kept: 4,
        done: 4,
      });

      worker.child.kill('SIGTERM');
      const code = await new Promise((resolve) => worker.child.once('exit', resolve));
      expect(code).toBe(0);
      expect(worker.output()).toMatch(
        /worker \S+:\d+: 2 cells at a time, backends cpu, from redis:/,
      );
      expect(worker.output()).toMatch(/SIGTERM: taking no more cells/);
      expect(worker.output()).toMatch(/worker \S+ stopped\n$/);
    });
  },
);
