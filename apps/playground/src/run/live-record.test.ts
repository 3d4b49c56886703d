import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunBundle, parseSpec, runExperiment, toRunBundle } from '@gradlab/core';
import { createRunRecorder, readRunRecord } from '@gradlab/core/node';
import { TEST_CPU_BACKEND, useCpu } from '@gradlab/testkit/helpers';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createLiveRecord } from './live-record.js';
import { liveTensors, smallSpec, testEnvironment } from './test-support.js';

let root = '';
let tensors = 0;
beforeAll(async () => {
  await useCpu();
  tensors = liveTensors();
  root = await mkdtemp(join(tmpdir(), 'playground-record-'));
});
afterEach(() => expect(liveTensors()).toBe(tensors));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the live record', () => {
  test('holds what the CLI writes to a run directory, line for line', async () => {
    const spec = parseSpec({
      ...smallSpec(),
      training: { ...smallSpec().training, pretraining: { stepsPerLayer: 3 } },
    });
    const dir = join(root, 'cli');
    const recorder = await createRunRecorder(dir, spec, TEST_CPU_BACKEND);
    const live = createLiveRecord(spec, TEST_CPU_BACKEND, testEnvironment);
    expect(live.finished()).toBeNull();
    await runExperiment(spec, { listeners: [recorder.listener, live.listener] });
    const fromDisk = await readRunRecord(dir);
    const record = live.finished();
    if (!record) throw new Error('the live record did not finish');
    expect(record.spec).toEqual(fromDisk.spec);
    expect(record.metrics).toEqual(fromDisk.metrics);
    expect(record.pretraining).toEqual(fromDisk.pretraining);
    expect(record.pretraining).toHaveLength(2 * 3);
    const { environment, startedAt, finishedAt, ...manifest } = record.manifest;
    const { environment: _e, startedAt: _s, finishedAt: _f, ...cliManifest } = fromDisk.manifest;
    expect(manifest).toEqual(cliManifest);
    expect(environment).toEqual(testEnvironment);
    expect(Date.parse(finishedAt)).toBeGreaterThanOrEqual(Date.parse(startedAt));
  });

  test('exported as a bundle, it reads back as the same record', async () => {
    const live = createLiveRecord(smallSpec(), TEST_CPU_BACKEND, testEnvironment);
    await runExperiment(smallSpec(), { listeners: [live.listener] });
    const record = live.finished();
    if (!record) throw new Error('the live record did not finish');
    expect(parseRunBundle(JSON.stringify(toRunBundle(record)))).toEqual(record);
  });

  test('while the run goes on, the view has the steps so far and the latest full step', async () => {
    const live = createLiveRecord(smallSpec(5), TEST_CPU_BACKEND, testEnvironment);
    const seen: { steps: number; full: number | null; stepsCompleted: number }[] = [];
    await runExperiment(smallSpec(5), {
      listeners: [
        live.listener,
        (e) => {
          if (e.type !== 'step') return;
          const view = live.view();
          seen.push({
            steps: view.metrics.length,
            full: live.latest().full?.step ?? null,
            stepsCompleted: view.manifest.result.stepsCompleted,
          });
        },
      ],
    });
    // Full diagnostics every 2 steps: steps 1, 3 and the last (5).
    expect(seen).toEqual([
      { steps: 1, full: 1, stepsCompleted: 1 },
      { steps: 2, full: 1, stepsCompleted: 2 },
      { steps: 3, full: 3, stepsCompleted: 3 },
      { steps: 4, full: 3, stepsCompleted: 4 },
      { steps: 5, full: 5, stepsCompleted: 5 },
    ]);
    expect(live.finished()?.manifest.status).toBe('complete');
  });
});
