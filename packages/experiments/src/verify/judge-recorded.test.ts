import { wasmBackend } from '@gradlab/backend-wasm';
import {
  createMemoryRecorder,
  type ExperimentSpecInput,
  parseRunBundle,
  type RunRecord,
  toRunBundle,
} from '@gradlab/core';
import { nodeEnvironment } from '@gradlab/core/node';
import { TEST_CPU_BACKEND } from '@gradlab/testkit/helpers';
import { beforeAll, describe, expect, it } from 'vitest';
import { declareChecks, defineStudy, judged } from '../define/define-study.js';
import type { StudyRun } from '../study.js';
import { firstStep } from '../study-kit/runs.js';
import { judgeRecordedStudy, plannedRuns } from './judge-recorded.js';
import { runStudy } from './run-study.js';

beforeAll(async () => {
  await wasmBackend.activate();
});

const mlp = (name: string, lr: number, std: number): ExperimentSpecInput => ({
  gradlab: 1,
  name,
  seed: 3,
  data: { kind: 'teacher', task: 'regression', inputSize: 8, samples: 256 },
  model: { kind: 'mlp', depth: 4, width: 16, activation: 'tanh', init: { kind: 'normal', std } },
  training: { steps: 12, batchSize: 32, optimizer: { kind: 'sgd', lr } },
  diagnostics: { every: 3 },
});

const declared = declareChecks({
  'gradients-measured': { claim: 'Every run measured its gradients at step 1.' },
  'blow-up-seen': { claim: 'The unstable run ends with a loss that is not finite.' },
});

/** A small planned study whose second run blows up: NaN and Infinity reach its judge. */
const study = defineStudy<{ lr: number }>({
  name: 'records-equal-events',
  title: 't',
  reference: 'r',
  claim: 'c',
  scaleNote: 's',
  usesBackend: true,
  settings: { full: { lr: 100 }, fast: { lr: 100 } },
  checks: declared,
  runs: (s): StudyRun[] => [
    { label: 'calm', spec: mlp('calm', 0.01, 0.3) },
    { label: 'unstable', spec: mlp('unstable', s.lr, 3) },
  ],
  judge: (runs) => {
    const norms = runs.all.map((r) => firstStep(r).layers.map((l) => l.gradNorm));
    const unstable = runs.get('unstable');
    const last = unstable.losses.at(-1) as number;
    return {
      checks: [
        judged(declared, 'gradients-measured', {
          pass: norms.flat().every((n) => n > 0),
          measured: norms.flat().join(' '),
          expected: '> 0',
          values: Object.fromEntries(norms.flat().map((n, i) => [`n${i}`, n])),
        }),
        judged(declared, 'blow-up-seen', {
          pass: !Number.isFinite(last),
          measured: String(last),
          expected: 'not finite',
          values: {
            steps: unstable.losses.length,
            finite: unstable.losses.filter(Number.isFinite).length,
          },
        }),
      ],
      figures: [
        {
          id: 'losses',
          title: 'losses',
          kind: 'line',
          x: { title: 'step' },
          y: { title: 'loss' },
          points: runs.all.flatMap((r) =>
            r.losses.map((y, i) => ({ series: r.label, x: i + 1, y: Number.isFinite(y) ? y : -1 })),
          ),
        },
      ],
    };
  },
});

describe('judging a study from its records', () => {
  it('gives the checks and figures of judging the runs in process, NaN and Infinity included', async () => {
    const records = new Map<string, RunRecord>();
    const recorders: [string, ReturnType<typeof createMemoryRecorder>][] = [];
    const inProcess = await runStudy(study, {
      scale: 'fast',
      listenersFor: (label, spec) => {
        const r = createMemoryRecorder(spec, TEST_CPU_BACKEND, nodeEnvironment());
        recorders.push([label, r]);
        return [r.listener];
      },
    });
    for (const [label, r] of recorders) {
      // Through JSON, as a worker ships a record and the disk keeps it.
      const bundle = toRunBundle(r.finished() as RunRecord);
      records.set(label, parseRunBundle(JSON.stringify(bundle)));
    }
    expect(inProcess.error).toBeUndefined();
    expect(inProcess.status).toBe('complete');
    expect(inProcess.pass).toBe(true);
    // The unstable run really did produce non-finite losses, which JSON turned into null.
    const unstableRows = records.get('unstable')?.metrics ?? [];
    expect(unstableRows.some((row) => row.loss === null)).toBe(true);

    const labels = plannedRuns(study, 'fast').map((r) => r.label);
    expect(labels).toEqual(['calm', 'unstable']);
    const fromRecords = await judgeRecordedStudy(study, {
      scale: 'fast',
      runs: labels.map((label) => ({ label, record: records.get(label) ?? null, path: label })),
      backend: 'wasm',
      startedAt: inProcess.startedAt,
      seconds: 0,
    });
    expect(fromRecords.status).toBe('complete');
    expect(fromRecords.checks).toEqual(inProcess.checks);
    expect(fromRecords.figures).toEqual(inProcess.figures);
    expect(fromRecords.runs.map((r) => [r.label, r.status, r.record])).toEqual([
      ['calm', 'complete', 'calm'],
      ['unstable', inProcess.runs[1]?.status, 'unstable'],
    ]);
  });

  it('a run without a record makes the study an error that names it, not a verdict', async () => {
    const v = await judgeRecordedStudy(study, {
      scale: 'fast',
      runs: [
        { label: 'calm', record: null, error: 'worker died (SIGKILL)' },
        { label: 'unstable', record: null },
      ],
      backend: 'wasm',
      startedAt: new Date().toISOString(),
      seconds: 1,
    });
    expect(v.status).toBe('error');
    expect(v.pass).toBe(false);
    expect(v.error).toMatch(/"calm" \(worker died \(SIGKILL\)\), "unstable"/);
  });

  it('refuses a plan with two runs of one label', () => {
    const twice = defineStudy<{ lr: number }>({
      ...study,
      checks: declared,
      name: 'twice',
      runs: () => [
        { label: 'a', spec: mlp('a', 0.01, 0.3) },
        { label: 'a', spec: mlp('b', 0.01, 0.3) },
      ],
      judge: () => ({ checks: [], figures: [] }),
    });
    expect(() => plannedRuns(twice, 'fast')).toThrow(/two runs labelled "a"/);
  });
});
