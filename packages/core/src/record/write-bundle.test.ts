import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BackendInfo,
  createMemoryRecorder,
  GradlabError,
  runExperiment,
  toRunBundle,
} from '../index.js';
import {
  createRunRecorder,
  isStagingName,
  nodeEnvironment,
  readRunRecord,
  writeRunBundle,
} from '../node.js';
import { caught, memory, TEST_CPU_BACKEND, tinySpec, useCpu } from '../test-support.js';

const backend: BackendInfo = TEST_CPU_BACKEND;

// Pre-training too, so that pretrain.jsonl is part of what must match.
const spec = tinySpec({
  training: { steps: 3, batchSize: 8, pretraining: { stepsPerLayer: 2, lr: 0.01 } },
  diagnostics: { every: 2 },
});

let root = '';
let original = '';
let inMemory: ReturnType<typeof createMemoryRecorder>;
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'gradlab-write-bundle-'));
  original = join(root, 'recorded');
  const recorder = await createRunRecorder(original, spec, backend);
  inMemory = createMemoryRecorder(spec, backend, nodeEnvironment());
  const before = memory();
  await runExperiment(spec, { listeners: [recorder.listener, inMemory.listener] });
  expect(memory()).toEqual(before);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const read = (dir: string, file: string) => readFile(join(dir, file), 'utf8');

describe('writeRunBundle', () => {
  test('writes the run directory createRunRecorder wrote, file for file', async () => {
    const copy = await writeRunBundle(
      join(root, 'copy'),
      toRunBundle(await readRunRecord(original)),
    );
    const files = (await readdir(original)).sort();
    expect(files).toEqual(['metrics.jsonl', 'pretrain.jsonl', 'run.json', 'spec.json']);
    expect((await readdir(copy)).sort()).toEqual(files);
    for (const f of files) expect(await read(copy, f)).toBe(await read(original, f));
  });

  test('a memory recorder holds what the file recorder wrote of the same run', async () => {
    const fromMemory = inMemory.finished();
    const fromDisk = await readRunRecord(original);
    expect(fromMemory).not.toBeNull();
    const { startedAt: _a, finishedAt: _b, ...manifest } = fromDisk.manifest;
    expect(fromMemory?.manifest).toMatchObject(manifest);
    // Through JSON, as on disk (JSON has no NaN or Infinity).
    const json = (x: unknown) => JSON.parse(JSON.stringify(x));
    expect(json(fromMemory?.metrics)).toEqual(fromDisk.metrics);
    expect(fromMemory?.pretraining).toEqual(fromDisk.pretraining);
    expect(fromMemory?.spec).toEqual(fromDisk.spec);
    expect(fromDisk.pretraining.length).toBeGreaterThan(0);
  });

  test('adds extra files, and the directory appears complete', async () => {
    const dir = await writeRunBundle(
      join(root, 'with-report'),
      toRunBundle(await readRunRecord(original)),
      { files: { 'report.html': '<p>report</p>' } },
    );
    expect(await read(dir, 'report.html')).toBe('<p>report</p>');
    expect((await readRunRecord(dir)).manifest.status).toBe('complete');
    expect((await readdir(root)).filter(isStagingName)).toEqual([]);
  });

  test('never overwrites a non-empty directory, and names a bad extra file', async () => {
    const taken = join(root, 'taken');
    await mkdir(taken);
    await writeFile(join(taken, 'notes.txt'), 'mine');
    const bundle = toRunBundle(await readRunRecord(original));
    const e = await caught(() => writeRunBundle(taken, bundle));
    expect((e as GradlabError).code).toBe('RECORD_EXISTS');
    expect(await readdir(taken)).toEqual(['notes.txt']);

    const bad = await caught(() =>
      writeRunBundle(join(root, 'bad'), bundle, { files: { 'run.json': '{}' } }),
    );
    expect(bad).toBeInstanceOf(GradlabError);
    expect((bad as GradlabError).message).toContain('files: "run.json"');
    expect((await readdir(root)).includes('bad')).toBe(false);
    expect((await readdir(root)).filter(isStagingName)).toEqual([]);
  });
});
