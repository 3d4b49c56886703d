import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  ADDING_MEAN_BASELINE_MSE,
  type ExperimentSpec,
  type GradientTransform,
  GradlabError,
  type RunEvent,
  type RunResult,
  runExperiment,
} from '../index.js';
import { caught, tinySpec, useCpu } from '../test-support.js';

beforeAll(useCpu);

/** Runs `spec` and returns every event it emitted, in order, with the result. */
async function recordRun(
  spec: ExperimentSpec,
  options: Parameters<typeof runExperiment>[1] = {},
): Promise<{ events: RunEvent[]; result: RunResult }> {
  const events: RunEvent[] = [];
  const result = await runExperiment(spec, {
    ...options,
    listeners: [...(options.listeners ?? []), (e) => void events.push(e)],
  });
  return { events, result };
}

const losses = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'step' ? [e.loss] : []));

describe('events', () => {
  test('start, one step per step, finished, in order', async () => {
    const spec = tinySpec({ training: { steps: 4, batchSize: 8 }, diagnostics: { every: 2 } });
    const { events, result } = await recordRun(spec);
    const types = events.map((e) => e.type).filter((t) => t !== 'verdict');
    expect(types).toEqual(['start', 'step', 'step', 'step', 'step', 'finished']);
    const start = events[0] as Extract<RunEvent, { type: 'start' }>;
    expect(start.info.steps).toBe(4);
    expect(start.info.backend).toBe('cpu');
    expect(start.info.model.layers).toEqual(['dense1', 'dense2', 'output']);
    // 4 -> 6 -> 6 -> 2, with biases.
    expect(start.info.model.parameters).toBe(4 * 6 + 6 + 6 * 6 + 6 + 6 * 2 + 2);
    expect(start.info.dataset).toEqual({ name: 'teacher-regression', size: 32 });

    const steps = events.filter((e) => e.type === 'step');
    expect(steps.map((e) => e.step)).toEqual([1, 2, 3, 4]);
    // Full diagnostics on the first step, every `every` steps and the last; norms in between.
    expect(steps.map((e) => e.diagnostics?.full)).toEqual([true, false, true, true]);
    expect((events.at(-1) as Extract<RunEvent, { type: 'finished' }>).result).toBe(result);

    expect(result.status).toBe('complete');
    expect(result.stepsCompleted).toBe(4);
    expect(result.final?.step).toBe(4);
    expect(result.loss.first).toBe(steps[0]?.loss);
    expect(result.loss.last).toBe(steps[3]?.loss);
    expect(result.timings.medianStepMs).toBeGreaterThan(0);
  });

  test('verdict changes come before the step they were seen on', async () => {
    const spec = tinySpec({
      model: {
        kind: 'mlp',
        depth: 6,
        width: 8,
        activation: 'sigmoid',
        init: { kind: 'normal', std: 0.05 },
      },
      training: { steps: 2, batchSize: 8 },
    });
    const { events } = await recordRun(spec);
    const verdicts = events.filter((e) => e.type === 'verdict');
    expect(verdicts.length).toBeGreaterThan(0);
    expect(verdicts[0]).toEqual({
      type: 'verdict',
      step: 1,
      layer: 'dense1',
      from: 'healthy',
      to: 'vanishing',
    });
    for (const v of verdicts) {
      const at = events.indexOf(v);
      const next = events.slice(at).find((e) => e.type === 'step');
      expect(next?.type === 'step' && next.step).toBe(v.step);
    }
    // Per layer the events chain: each starts where the previous one ended, and changes something.
    const last = new Map<string, string>();
    for (const v of verdicts) {
      expect(v.from).toBe(last.get(v.layer) ?? 'healthy');
      expect(v.to).not.toBe(v.from);
      last.set(v.layer, v.to);
    }
  });

  test('"bare" mode reports losses without diagnostics', async () => {
    const { events, result } = await recordRun(tinySpec(), { mode: 'bare', steps: 3 });
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.map((e) => e.diagnostics)).toEqual([null, null, null]);
    expect(steps.every((e) => Number.isFinite(e.loss))).toBe(true);
    expect(result.final).toBeNull();
  });

  test("the evaluation carries the generator's predict-the-mean MSE where it has a closed form", async () => {
    const adding = tinySpec({
      data: { kind: 'adding', length: 4, samples: 16 },
      model: { kind: 'rnn', hiddenSize: 3 },
      training: { steps: 1, batchSize: 8 },
    });
    const { result } = await recordRun(adding);
    expect(result.evaluation?.baseline).toBe(ADDING_MEAN_BASELINE_MSE);
    // A random teacher's targets have no closed-form variance.
    const teacher = await recordRun(tinySpec({ training: { steps: 1, batchSize: 8 } }));
    expect(teacher.result.evaluation?.baseline).toBeNull();
  });
});

describe('cancellation', () => {
  test('an AbortSignal cancels between steps', async () => {
    const controller = new AbortController();
    const spec = tinySpec({ training: { steps: 10, batchSize: 8 } });
    const { events, result } = await recordRun(spec, {
      signal: controller.signal,
      listeners: [(e) => (e.type === 'step' && e.step === 2 ? controller.abort() : undefined)],
    });
    expect(result.status).toBe('cancelled');
    expect(result.stepsCompleted).toBe(2);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(2);
    expect(events.at(-1)?.type).toBe('finished');
  });

  test('an already aborted signal runs no step', async () => {
    const { result } = await recordRun(tinySpec(), { signal: AbortSignal.abort() });
    expect(result).toMatchObject({ status: 'cancelled', stepsCompleted: 0, final: null });
    expect(result.loss).toEqual({ first: null, last: null });
  });
});

describe('determinism', () => {
  test('the same seed gives identical losses', async () => {
    const spec = tinySpec({ training: { steps: 5, batchSize: 8 } });
    const a = losses((await recordRun(spec)).events);
    const b = losses((await recordRun(spec)).events);
    expect(a).toHaveLength(5);
    expect(b).toEqual(a);
  });

  test('another seed gives other losses', async () => {
    const a = losses((await recordRun(tinySpec({ seed: 1 }))).events);
    const b = losses((await recordRun(tinySpec({ seed: 2 }))).events);
    expect(b).not.toEqual(a);
  });

  test('training lowers the loss of a learnable task', async () => {
    const spec = tinySpec({
      training: { steps: 60, batchSize: 16, optimizer: { kind: 'adam', lr: 0.01 } },
      diagnostics: { every: 100 },
    });
    const { result } = await recordRun(spec);
    expect(result.loss.last as number).toBeLessThan(0.7 * (result.loss.first as number));
  });
});

describe('failures', () => {
  test('a listener that throws fails the run, which still reports finished', async () => {
    const events: RunEvent[] = [];
    const breakAtStep2 = (ev: RunEvent) => {
      if (ev.type === 'step' && ev.step === 2) throw new Error('listener broke');
    };
    const e = await caught(() =>
      runExperiment(tinySpec(), { listeners: [(ev) => void events.push(ev), breakAtStep2] }),
    );
    expect((e as Error).message).toBe('listener broke');
    const finished = events.at(-1);
    expect(finished?.type).toBe('finished');
    expect(finished?.type === 'finished' && finished.result).toMatchObject({
      status: 'failed',
      stepsCompleted: 2,
      error: 'listener broke',
    });
  });

  test("a transform's check sees the step's telemetry and stops the run before the step is emitted", async () => {
    const seen: [number | undefined, number][] = [];
    const strict: GradientTransform = {
      name: 'strict',
      apply: (grads, _vars, step) => ({
        grads: grads.map((g) => tf.clone(g)),
        telemetry: { step: tf.scalar(step) },
      }),
      check(telemetry, step) {
        seen.push([telemetry['strict.step'], step]);
        if (step === 2) throw new GradlabError('NON_FINITE_GRADIENT', 'rejected');
      },
    };
    const events: RunEvent[] = [];
    const e = await caught(() =>
      runExperiment(tinySpec(), {
        transforms: [strict],
        listeners: [(ev) => void events.push(ev)],
      }),
    );
    expect((e as GradlabError).code).toBe('NON_FINITE_GRADIENT');
    // Named by its own key, with the step it belongs to.
    expect(seen).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(losses(events)).toHaveLength(1);
    const finished = events.at(-1);
    expect(finished?.type === 'finished' && finished.result).toMatchObject({
      status: 'failed',
      stepsCompleted: 2,
      error: 'rejected',
    });
  });

  test('steps must be a positive integer', async () => {
    for (const steps of [0, -1, 1.5]) {
      const e = await caught(() => runExperiment(tinySpec(), { steps }));
      expect(e).toBeInstanceOf(GradlabError);
      expect((e as GradlabError).code).toBe('INVALID_ARGUMENT');
    }
  });
});
