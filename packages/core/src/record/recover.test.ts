import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRunRecorder } from '../node.js';
import { TEST_CPU_BACKEND, tinySpec, useCpu } from '../test-support.js';
import { runExperiment } from '../train/run.js';
import type { PartialRun } from './partials.js';
import { planRecovery } from './recover.js';

let root = '';
let finished = '';
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'gradlab-recover-'));
  finished = join(root, 'finished');
  const spec = tinySpec({ training: { steps: 4, batchSize: 8 }, diagnostics: { every: 2 } });
  const recorder = await createRunRecorder(finished, spec, TEST_CPU_BACKEND);
  await runExperiment(spec, { listeners: [recorder.listener] });
});
afterAll(() => rm(root, { recursive: true, force: true }));

let n = 0;
/** A staging directory holding a finished run's files, changed by `edit`: what a kill leaves. */
async function partial(edit: (dir: string) => Promise<void>): Promise<PartialRun> {
  const path = join(root, `.run-${++n}.partial-0123abcd`);
  await cp(finished, path, { recursive: true });
  await edit(path);
  const owner = {
    pid: 1,
    host: 'here',
    startedAt: new Date().toISOString(),
    environment: JSON.parse(await readFile(join(finished, 'run.json'), 'utf8')).environment,
    backend: TEST_CPU_BACKEND,
  };
  return { path, target: join(root, `run-${n}`), owner, state: 'gone', modifiedAt: new Date() };
}

describe('planRecovery', () => {
  test('a staged run.json the readers accept is published as it is', async () => {
    expect(await planRecovery(await partial(async () => {}))).toEqual({ kind: 'publish' });
  });

  test('a run.json that says complete but lost its result is rebuilt from the metrics, not published', async () => {
    const plan = await planRecovery(
      await partial(async (dir) => {
        const run = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
        await writeFile(
          join(dir, 'run.json'),
          JSON.stringify({ ...run, result: { status: 'complete' } }),
        );
      }),
    );
    expect(plan.kind).toBe('rebuild');
  });

  test('a damaged metrics line is named, and nothing is rebuilt from it', async () => {
    const plan = await planRecovery(
      await partial(async (dir) => {
        await rm(join(dir, 'run.json'));
        const lines = (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).split('\n');
        lines[1] = '{"step": "two"}';
        await writeFile(join(dir, 'metrics.jsonl'), lines.join('\n'));
      }),
    );
    expect(plan).toMatchObject({ kind: 'none' });
    expect(plan.kind === 'none' && plan.why).toMatch(/metrics\.jsonl line 2/);
  });
});
