import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { type BackendInfo, GradlabError, runExperiment } from '../index.js';
import { createRunRecorder, isStagingName } from '../node.js';
import { caught, TEST_CPU_BACKEND, tinySpec, useCpu } from '../test-support.js';

// The injected failure: a write of run.json's temporary file fails as on a full disk. The
// end-to-end tests fill a real tmpfs (apps/cli/src/disk-full.test.ts); this one runs anywhere
// and pins the recorder's behaviour itself.
const failing = vi.hoisted(() => ({ code: null as string | null }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    writeFile: (async (path, ...rest) => {
      if (failing.code && String(path).includes('.run.json.')) {
        throw Object.assign(new Error(`${failing.code}: injected, write '${path}'`), {
          code: failing.code,
        });
      }
      return fs.writeFile(path, ...rest);
    }) as typeof fs.writeFile,
  };
});

beforeAll(useCpu);

const backend: BackendInfo = TEST_CPU_BACKEND;
const spec = () => tinySpec({ training: { steps: 4, batchSize: 8 }, diagnostics: { every: 2 } });

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gradlab-final-write-'));
});
afterEach(async () => {
  failing.code = null;
  await rm(root, { recursive: true, force: true });
});

describe('a run whose final write fails', () => {
  for (const code of ['ENOSPC', 'EROFS', 'EACCES', 'EDQUOT']) {
    test(`${code}: keeps the staging directory, says where, and abandon() leaves it`, async () => {
      const target = join(root, 'run');
      const recorder = await createRunRecorder(target, spec(), backend);
      failing.code = code;
      const e = await caught(() => runExperiment(spec(), { listeners: [recorder.listener] }));
      expect(e).toBeInstanceOf(GradlabError);
      expect((e as GradlabError).code).toBe('RECORD_WRITE_FAILED');
      const [staging] = (await readdir(root)).filter(isStagingName);
      expect(staging).toBeDefined();
      expect((e as GradlabError).message).toContain(join(root, staging as string));
      expect((e as GradlabError).message).toContain(code);
      // The CLI calls abandon() when the run throws: it must not remove a finished run.
      await recorder.abandon();
      const kept = await readdir(join(root, staging as string));
      expect(kept).toEqual(expect.arrayContaining(['spec.json', 'metrics.jsonl']));
      const rows = (await readFile(join(root, staging as string, 'metrics.jsonl'), 'utf8'))
        .trim()
        .split('\n');
      expect(rows).toHaveLength(4);
      expect(await readdir(root)).not.toContain('run'); // no directory claims completion
    });
  }

  test('abandon() before the end still removes the staging directory (nothing finished)', async () => {
    const recorder = await createRunRecorder(join(root, 'run'), spec(), backend);
    await recorder.abandon();
    expect(await readdir(root)).toEqual([]);
  });
});
