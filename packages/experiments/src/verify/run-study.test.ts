import { cpuBackend } from '@gradlab/backend-cpu';
import { GradlabError, type RunListener, registerBackend, useBackend } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, Study } from '../study.js';
import { resolveSettings, runStudy, StudyCancelledError } from './run-study.js';

const check = (id: string, pass: boolean): CheckResult => ({
  id,
  claim: `${id} holds`,
  pass,
  measured: `measured ${id}`,
  expected: `expected ${id}`,
  values: { x: pass ? 1 : 0 },
});

interface Threshold {
  readonly value: number;
  readonly limit: number;
}

/** Host numerics only: passes when value < limit, so a setting can make it fail. */
const thresholdStudy: Study<Threshold> = {
  name: 'threshold',
  title: 'A value below a limit',
  reference: 'Nobody (2024), a fake study for the runner',
  claim: 'the value stays below the limit',
  settings: { full: { value: 1, limit: 10 }, fast: { value: 1, limit: 2 } },
  scaleNote: 'nothing to scale',
  usesBackend: false,
  checks: [{ id: 'below', claim: 'value < limit' }],
  run: async (ctx, s) => {
    ctx.progress('comparing', 0.5);
    return {
      checks: [check('below', s.value < s.limit)],
      figures: [
        {
          id: 'f',
          title: 'value',
          kind: 'bar',
          x: { title: 'what' },
          y: { title: 'size' },
          points: [
            { series: 'value', x: 'value', y: s.value },
            { series: 'limit', x: 'limit', y: s.limit },
          ],
        },
      ],
      tables: [
        { id: 't', title: 'numbers', columns: ['value', 'limit'], rows: [[s.value, s.limit]] },
      ],
    };
  },
};

const fake = (over: Partial<Study<Record<string, unknown>>>): Study<Record<string, unknown>> => ({
  name: 'fake',
  title: 'Fake',
  reference: 'Nobody (2024)',
  claim: 'a claim',
  settings: { full: {}, fast: {} },
  scaleNote: 'none',
  usesBackend: false,
  run: async () => ({ checks: [check('a', true)], figures: [] }),
  ...over,
});

/** A tiny MLP on teacher data: a few milliseconds per step on the CPU backend. */
const tinySpec = (steps: number, seed = 3) => ({
  gradlab: 1 as const,
  seed,
  data: { kind: 'teacher' as const, inputSize: 4, outputSize: 2, samples: 32 },
  model: { kind: 'mlp' as const, depth: 3, width: 6, activation: 'tanh' as const },
  training: { steps, batchSize: 32, optimizer: { kind: 'adam' as const, lr: 0.05 } },
  diagnostics: { every: 2 },
});

/** Trains two tiny runs and checks that the loss went down in the first. */
const trainingStudy: Study<{ steps: number }> = {
  name: 'trains',
  title: 'A tiny network trains',
  reference: 'Nobody (2024)',
  claim: 'the loss goes down',
  settings: { full: { steps: 12 }, fast: { steps: 6 } },
  scaleNote: 'tiny',
  usesBackend: true,
  run: async (ctx, s) => {
    const a = await ctx.train('seed 3', tinySpec(s.steps));
    await ctx.train('seed 4', tinySpec(s.steps, 4));
    const first = a.losses[0] as number;
    const last = a.losses.at(-1) as number;
    return {
      checks: [
        {
          id: 'loss-down',
          claim: 'the loss goes down',
          pass: last < first,
          measured: `${first} -> ${last}`,
          expected: 'lower',
        },
      ],
      figures: [],
    };
  },
};

describe('runStudy', () => {
  beforeAll(async () => {
    registerBackend(cpuBackend);
    await useBackend('cpu');
  });

  it('a passing study: every field of the verification, settings of the scale, no backend', async () => {
    const messages: string[] = [];
    const v = await runStudy(thresholdStudy, {
      scale: 'fast',
      progress: (m) => messages.push(m),
    });
    expect(v).toMatchObject({
      gradlab: 1,
      kind: 'study-verification',
      name: 'threshold',
      title: 'A value below a limit',
      reference: 'Nobody (2024), a fake study for the runner',
      claim: 'the value stays below the limit',
      scaleNote: 'nothing to scale',
      scale: 'fast',
      settings: { value: 1, limit: 2 },
      usesBackend: false,
      backend: null,
      status: 'complete',
      pass: true,
      runs: [],
    });
    expect(v.checks.map((c) => [c.id, c.pass])).toEqual([['below', true]]);
    expect(v.figures).toHaveLength(1);
    expect(v.tables[0]?.rows).toEqual([[1, 2]]);
    expect(v.seconds).toBeGreaterThanOrEqual(0);
    expect(v.error).toBeUndefined();
    expect(messages).toEqual(['comparing']);
    // verify.json: plain data that survives JSON.
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });

  it('a counterfactual setting makes the same study fail; unknown settings are refused', async () => {
    const v = await runStudy(thresholdStudy, { scale: 'full', settings: { value: 20 } });
    expect(v.settings).toEqual({ value: 20, limit: 10 });
    expect(v.status).toBe('complete');
    expect(v.pass).toBe(false);
    expect(v.checks[0]?.pass).toBe(false);
    await expect(
      runStudy(thresholdStudy, { scale: 'full', settings: { valu: 3 } as never }),
    ).rejects.toThrow(/study "threshold" has no setting "valu"; its settings are value, limit/);
    expect(() => resolveSettings(thresholdStudy, 'medium' as never, undefined)).toThrow(
      /scale is "medium"; allowed: "full" or "fast"/,
    );
  });

  it('a study that throws is a FAIL with the message, not an exception', async () => {
    const v = await runStudy(
      fake({
        run: async () => {
          throw new TypeError('the study broke');
        },
      }),
      { scale: 'full' },
    );
    expect(v).toMatchObject({ status: 'error', pass: false, checks: [], figures: [] });
    expect(v.error).toBe('TypeError: the study broke');
  });

  it('an outcome that cannot be judged is a FAIL: no checks, a duplicate id, a declared check missing', async () => {
    const cases: [Partial<Study<Record<string, unknown>>>, RegExp][] = [
      [{ run: async () => ({ checks: [], figures: [] }) }, /reported no checks/],
      [
        { run: async () => ({ checks: [check('a', true), check('a', true)], figures: [] }) },
        /check "a" twice/,
      ],
      [
        {
          checks: [
            { id: 'a', claim: 'a' },
            { id: 'b', claim: 'b' },
          ],
        },
        /declares check\(s\) "b" but did not report them/,
      ],
    ];
    for (const [over, message] of cases) {
      const v = await runStudy(fake(over), { scale: 'fast' });
      expect(v.status).toBe('error');
      expect(v.pass).toBe(false);
      expect(v.error).toMatch(message);
    }
  });

  it('one failed check fails the study; the others are kept', async () => {
    const v = await runStudy(
      fake({ run: async () => ({ checks: [check('a', true), check('b', false)], figures: [] }) }),
      { scale: 'fast' },
    );
    expect(v).toMatchObject({ status: 'complete', pass: false });
    expect(v.checks).toHaveLength(2);
  });

  it('cancellation propagates: StudyCancelledError carrying what was done, runs included', async () => {
    const abort = new AbortController();
    const study: Study<{ steps: number }> = {
      ...trainingStudy,
      run: async (ctx, s) => {
        await ctx.train('first', tinySpec(s.steps));
        abort.abort();
        await ctx.train('second', tinySpec(s.steps));
        return { checks: [check('never', true)], figures: [] };
      },
    };
    const error = await runStudy(study, { scale: 'fast', signal: abort.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(StudyCancelledError);
    expect(error).toBeInstanceOf(GradlabError);
    expect(error.code).toBe('RUN_CANCELLED');
    const v = (error as StudyCancelledError).verification;
    expect(v).toMatchObject({ name: 'trains', status: 'cancelled', pass: false, checks: [] });
    expect(v.runs.map((r) => [r.label, r.status, r.steps])).toEqual([
      ['first', 'complete', 6],
      ['second', 'cancelled', 0],
    ]);
    // Already cancelled: the study does not start.
    let started = false;
    const again = await runStudy(
      fake({
        run: async () => {
          started = true;
          return { checks: [check('a', true)], figures: [] };
        },
      }),
      { scale: 'fast', signal: abort.signal },
    ).catch((e) => e);
    expect(again).toBeInstanceOf(StudyCancelledError);
    expect(started).toBe(false);
  });

  it('trains through ctx.train on the cpu backend: runs summarised, listeners called, no tensor leaked', async () => {
    const before = tf.memory().numTensors;
    const started: string[] = [];
    const trained: string[] = [];
    const listenersFor = (label: string): RunListener[] => [
      (e) => {
        if (e.type === 'start') started.push(`${label}:${e.info.steps}`);
      },
    ];
    const v = await runStudy(trainingStudy, {
      scale: 'fast',
      listenersFor,
      onTrained: (run) => {
        trained.push(`${run.label}:${run.losses.length}`);
      },
      recordOf: (label) => label.replace(' ', '-'),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(v).toMatchObject({ status: 'complete', pass: true, backend: 'cpu', usesBackend: true });
    expect(started).toEqual(['seed 3:6', 'seed 4:6']);
    expect(trained).toEqual(['seed 3:6', 'seed 4:6']);
    expect(v.runs).toHaveLength(2);
    for (const [i, r] of v.runs.entries()) {
      expect(r).toMatchObject({
        label: `seed ${3 + i}`,
        status: 'complete',
        steps: 6,
        record: `seed-${3 + i}`,
      });
      expect(r.finalLoss).toBeGreaterThan(0);
      expect(r.evaluation?.samples).toBe(32);
      expect(['healthy', 'vanishing', 'exploding', 'non-finite']).toContain(r.verdict);
    }
  });

  it('two runs with the same label are a FAIL naming the label', async () => {
    const v = await runStudy(
      {
        ...trainingStudy,
        run: async (ctx) => {
          await ctx.train('same', tinySpec(2));
          await ctx.train('same', tinySpec(2));
          return { checks: [check('a', true)], figures: [] };
        },
      },
      { scale: 'fast' },
    );
    expect(v.status).toBe('error');
    expect(v.error).toMatch(/two runs labelled "same"/);
    expect(v.runs.map((r) => r.label)).toEqual(['same']);
  });
});
