import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type BackendInfo, GradlabError, runExperiment } from '../index.js';
import { createRunRecorder, readRunRecord, writeFileAtomic } from '../node.js';
import { caught, TEST_CPU_BACKEND, tinySpec, useCpu } from '../test-support.js';

beforeAll(useCpu);

const backend: BackendInfo = TEST_CPU_BACKEND;

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gradlab-record-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const spec = () => tinySpec({ training: { steps: 4, batchSize: 8 }, diagnostics: { every: 2 } });

describe('a recorded run', () => {
  test('appears complete at the end, never partially during the run', async () => {
    const target = join(root, 'run-1');
    const recorder = await createRunRecorder(target, spec(), backend);
    expect(recorder.dir).toBe(target);
    const seenDuringRun: boolean[] = [];
    const result = await runExperiment(spec(), {
      listeners: [
        recorder.listener,
        (e) => void (e.type === 'step' && seenDuringRun.push(existsSync(target))),
      ],
    });
    expect(seenDuringRun).toEqual([false, false, false, false]);
    expect((await readdir(target)).sort()).toEqual(['metrics.jsonl', 'run.json', 'spec.json']);
    // The staging directory was renamed into place: nothing else is left beside the target.
    expect(await readdir(root)).toEqual(['run-1']);

    expect(JSON.parse(await readFile(join(target, 'spec.json'), 'utf8'))).toEqual(spec());
    const lines = (await readFile(join(target, 'metrics.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).step)).toEqual([1, 2, 3, 4]);
    const manifest = JSON.parse(await readFile(join(target, 'run.json'), 'utf8'));
    expect(manifest).toMatchObject({ gradlab: 1, status: 'complete', backend });
    expect(manifest.result.stepsCompleted).toBe(4);
    expect(manifest.result.verdict).toBe(result.verdict);
    expect(Date.parse(manifest.finishedAt)).toBeGreaterThanOrEqual(Date.parse(manifest.startedAt));
    expect(manifest.environment.node).toBe(process.version);
  });

  test('readRunRecord reads back the spec, the manifest and one metrics row per step', async () => {
    const target = join(root, 'run-2');
    const recorder = await createRunRecorder(target, spec(), backend);
    const losses: number[] = [];
    await runExperiment(spec(), {
      listeners: [recorder.listener, (e) => void (e.type === 'step' && losses.push(e.loss))],
    });
    const record = await readRunRecord(target);
    expect(record.spec).toEqual(spec());
    expect(record.manifest.status).toBe('complete');
    expect(record.metrics.map((m) => m.loss)).toEqual(losses);
    expect(record.metrics.map((m) => m.full)).toEqual([true, false, true, true]);
    expect(record.metrics[0]?.layers.map((l) => l.name)).toEqual(['dense1', 'dense2', 'output']);
    expect(record.metrics.every((m) => m.ms >= 0)).toBe(true);
  });

  test('a cancelled run is recorded as cancelled', async () => {
    const target = join(root, 'cancelled');
    const recorder = await createRunRecorder(target, spec(), backend);
    await runExperiment(spec(), { listeners: [recorder.listener], signal: AbortSignal.abort() });
    const record = await readRunRecord(target);
    expect(record.manifest.status).toBe('cancelled');
    expect(record.metrics).toEqual([]);
  });

  test('an existing empty directory is used', async () => {
    const target = join(root, 'empty');
    await mkdir(target);
    const recorder = await createRunRecorder(target, spec(), backend);
    await runExperiment(spec(), { listeners: [recorder.listener] });
    expect((await readRunRecord(target)).manifest.status).toBe('complete');
  });
});

describe('refusals', () => {
  test('a non-empty target is refused with RECORD_EXISTS and left untouched', async () => {
    const target = join(root, 'taken');
    await mkdir(target);
    await writeFile(join(target, 'notes.txt'), 'mine');
    const e = await caught(() => createRunRecorder(target, spec(), backend));
    expect(e).toBeInstanceOf(GradlabError);
    expect((e as GradlabError).code).toBe('RECORD_EXISTS');
    expect((e as GradlabError).message).toContain(target);
    expect(await readdir(target)).toEqual(['notes.txt']);
    expect(await readFile(join(target, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await readdir(root)).toEqual(['taken']); // no staging directory either
  });

  test('a file in the way is refused', async () => {
    const target = join(root, 'a-file');
    await writeFile(target, 'x');
    const e = await caught(() => createRunRecorder(target, spec(), backend));
    expect((e as GradlabError).code).toBe('RECORD_EXISTS');
    expect(await readFile(target, 'utf8')).toBe('x');
  });

  test('a target that appears during the run is not overwritten', async () => {
    const target = join(root, 'raced');
    const recorder = await createRunRecorder(target, spec(), backend);
    const e = await caught(() =>
      runExperiment(spec(), {
        listeners: [
          async (ev) => {
            if (ev.type !== 'step' || ev.step !== 2) return;
            await mkdir(target);
            await writeFile(join(target, 'other.txt'), 'theirs');
          },
          recorder.listener,
        ],
      }),
    );
    expect((e as GradlabError).code).toBe('RECORD_EXISTS');
    expect(await readdir(target)).toEqual(['other.txt']);
    // The finished record is kept in the staging directory the message names.
    const staging = (await readdir(root)).find((n) => n !== 'raced') as string;
    expect((e as GradlabError).message).toContain(staging);
    // With the owner file, which tells `gradlab runs clean` that its process is gone.
    expect((await readdir(join(root, staging))).sort()).toEqual([
      '.gradlab-writer.json',
      'metrics.jsonl',
      'run.json',
      'spec.json',
    ]);
  });

  test('a directory without run.json is RECORD_INCOMPLETE', async () => {
    const dir = join(root, 'crashed');
    await mkdir(dir);
    await writeFile(join(dir, 'spec.json'), JSON.stringify(spec()));
    const e = await caught(() => readRunRecord(dir));
    expect(e).toBeInstanceOf(GradlabError);
    expect((e as GradlabError).code).toBe('RECORD_INCOMPLETE');
    expect((e as GradlabError).message).toContain(dir);
  });

  test('abandon removes the staging directory', async () => {
    const recorder = await createRunRecorder(join(root, 'never'), spec(), backend);
    expect(await readdir(root)).toHaveLength(1); // the staging directory
    await recorder.abandon();
    expect(await readdir(root)).toEqual([]);
  });
});

test('writeFileAtomic replaces a file and leaves no temporary file', async () => {
  const path = join(root, 'f.json');
  await writeFileAtomic(path, 'one');
  await writeFileAtomic(path, 'two');
  expect(await readFile(path, 'utf8')).toBe('two');
  expect(await readdir(root)).toEqual(['f.json']);
});
