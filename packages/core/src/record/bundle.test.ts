import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BackendInfo,
  GradlabError,
  parseRunBundle,
  RUN_BUNDLE_KIND,
  runExperiment,
  toRunBundle,
} from '../index.js';
import { createRunRecorder, type RunRecord, readRunRecord } from '../node.js';
import { caught, TEST_CPU_BACKEND, tinySpec, useCpu } from '../test-support.js';

const backend: BackendInfo = TEST_CPU_BACKEND;

let root = '';
let fromDir: RunRecord;
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'gradlab-bundle-'));
  const spec = tinySpec({ training: { steps: 3, batchSize: 8 }, diagnostics: { every: 2 } });
  const recorder = await createRunRecorder(join(root, 'run'), spec, backend);
  await runExperiment(spec, { listeners: [recorder.listener] });
  fromDir = await readRunRecord(join(root, 'run'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function errorOf(text: string): Promise<GradlabError> {
  const e = await caught(() => parseRunBundle(text, 'x.gradlab.json'));
  expect(e).toBeInstanceOf(GradlabError);
  return e as GradlabError;
}

describe('a run bundle', () => {
  test('holds the run directory, and readRunRecord reads the file back as the directory', async () => {
    const bundle = toRunBundle(fromDir);
    expect(bundle).toMatchObject({ gradlab: 1, kind: RUN_BUNDLE_KIND });
    const file = join(root, 'run.gradlab.json');
    await writeFile(file, JSON.stringify(bundle));
    expect(await readRunRecord(file)).toEqual(fromDir);
  });

  test('a bundle without pretraining reads as none', () => {
    const { pretraining: _, ...rest } = toRunBundle(fromDir);
    expect(parseRunBundle(JSON.stringify(rest)).pretraining).toEqual([]);
  });

  test('malformed JSON is INVALID_RECORD naming the source', async () => {
    const e = await errorOf('{"kind": ');
    expect(e.code).toBe('INVALID_RECORD');
    expect(e.message).toMatch(/^x\.gradlab\.json is not valid JSON/);
  });

  test('each envelope field is named with the value it had', async () => {
    const good = toRunBundle(fromDir);
    const cases: [unknown, RegExp][] = [
      [[1, 2], /must be a JSON object; got \[1,2\]/],
      [{ ...good, kind: 'other' }, /"kind" must be "gradlab-run"; got "other"/],
      [{ ...good, gradlab: 0 }, /"gradlab" \(the format version\) must be 1; got 0/],
      [
        { ...good, gradlab: 2 },
        /record format version 2, from a newer gradlab; this one reads version 1/,
      ],
      [
        { ...good, run: { ...good.run, result: { ...good.run.result, verdict: 'fine' } } },
        /\("run"\) is not a gradlab run record: result\.verdict: /,
      ],
      [
        { ...good, metrics: [{ ...good.metrics[0], loss: 'low' }] },
        /\("metrics\[0\]"\) is not a gradlab run record: loss: /,
      ],
      [{ ...good, run: { status: 'complete' } }, /"run" must be the run\.json object/],
      [{ ...good, run: { ...good.run, backend: null } }, /"run\.backend" must name the backend/],
      [{ ...good, metrics: {} }, /"metrics" must be an array of steps; got \{\}/],
      [{ ...good, metrics: [...good.metrics, { step: 'four' }] }, /"metrics\[3\]" must be a step/],
      [{ ...good, pretraining: 'none' }, /"pretraining" must be an array/],
    ];
    for (const [value, message] of cases) {
      const e = await errorOf(JSON.stringify(value));
      expect(e.code).toBe('INVALID_RECORD');
      expect(e.message).toMatch(message);
    }
  });

  test('an invalid spec inside is INVALID_SPEC naming the field', async () => {
    const good = toRunBundle(fromDir);
    const bad = { ...good, spec: { ...good.spec, model: { ...good.spec.model, depth: 0 } } };
    const e = await errorOf(JSON.stringify(bad));
    expect(e.code).toBe('INVALID_SPEC');
    expect(e.message).toContain('x.gradlab.json (its spec)');
    expect(e.message).toContain('model.depth');
  });
});
