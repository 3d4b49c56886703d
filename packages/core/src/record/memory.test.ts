import { beforeAll, expect, test } from 'vitest';
import { createMemoryRecorder, type RunResult, runExperiment } from '../index.js';
import { TEST_CPU_BACKEND, tinySpec, useCpu } from '../test-support.js';

const environment = {
  gradlabCore: 'test',
  node: 'test',
  platform: 'test',
  arch: 'test',
  cpu: 'test',
  cpus: 1,
};

beforeAll(useCpu);

test('while the run goes on, recordWith gives the rows so far under the result it is handed', async () => {
  const spec = tinySpec({ training: { steps: 3, batchSize: 8 } });
  const recorder = createMemoryRecorder(spec, TEST_CPU_BACKEND, environment);
  // A run still going has no result: the caller makes one up (the playground's says "cancelled").
  const madeUp = { status: 'cancelled', stepsCompleted: 0 } as RunResult;
  const seen: number[] = [];
  let finalResult: RunResult | null = null;
  await runExperiment(spec, {
    listeners: [
      recorder.listener,
      (e) => {
        if (e.type === 'finished') finalResult = e.result;
        if (e.type !== 'step') return;
        expect(recorder.finished()).toBeNull();
        const soFar = recorder.recordWith(madeUp);
        expect(soFar.metrics).toBe(recorder.metrics);
        expect(soFar.manifest).toMatchObject({ status: 'cancelled', result: madeUp, environment });
        seen.push(soFar.metrics.length);
      },
    ],
  });
  expect(seen).toEqual([1, 2, 3]);
  const done = recorder.finished();
  expect(done?.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
  expect(done?.manifest).toMatchObject({ gradlab: 1, status: 'complete', result: finalResult });
  expect(done?.manifest.environment).toEqual(environment);
});
