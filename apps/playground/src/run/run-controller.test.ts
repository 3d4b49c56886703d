import type { RunEvent, RunResult } from '@gradlab/core';
import { useCpu } from '@gradlab/testkit/helpers';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RunController, type RunPhase } from './run-controller.js';
import { liveTensors, smallSpec } from './test-support.js';

let tensors = 0;
beforeAll(async () => {
  await useCpu();
  tensors = liveTensors();
});
afterEach(() => expect(liveTensors()).toBe(tensors));

/** Waits until `ok()` holds, giving the run turns of the event loop in between. */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function controlled() {
  const phases: RunPhase[] = [];
  const steps: number[] = [];
  const controller = new RunController((p) => phases.push(p));
  const listener = (e: RunEvent) => {
    if (e.type === 'step') steps.push(e.step);
  };
  return { controller, phases, steps, listener };
}

describe('the run controller', () => {
  test('a run started paused waits; step runs one step at a time; resume runs the rest', async () => {
    const { controller, phases, steps, listener } = controlled();
    const tensorsBefore = tf.memory().numTensors;
    const done = controller.run(smallSpec(6), [listener], { stepsBeforePause: 0 });
    await new Promise((r) => setTimeout(r, 30));
    expect(steps).toEqual([]);
    expect(controller.phase).toBe('paused');
    controller.step();
    await until(() => controller.phase === 'paused' && steps.length === 1, 'step 1');
    await new Promise((r) => setTimeout(r, 30));
    expect(steps).toEqual([1]);
    controller.step();
    await until(() => steps.length === 2 && controller.phase === 'paused', 'step 2');
    controller.resume();
    const result = await done;
    expect(result.status).toBe('complete');
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(phases).toEqual([
      'paused',
      'running',
      'paused',
      'running',
      'paused',
      'running',
      'finished',
    ]);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  test('pause stops after the current step; reset while paused cancels and frees every tensor', async () => {
    const { controller, steps, listener } = controlled();
    const tensorsBefore = tf.memory().numTensors;
    const done = controller.run(smallSpec(200), [
      listener,
      (e) => {
        if (e.type === 'step' && e.step === 3) controller.pause();
      },
    ]);
    await until(() => controller.phase === 'paused', 'the pause');
    await new Promise((r) => setTimeout(r, 30));
    expect(steps).toEqual([1, 2, 3]);
    controller.reset();
    const result: RunResult = await done;
    expect(result.status).toBe('cancelled');
    expect(result.stepsCompleted).toBe(3);
    expect(controller.phase).toBe('finished');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  test('the page keeps its turns: a timer set at the start fires before the run ends', async () => {
    const { controller } = controlled();
    let fired = false;
    let firedBeforeEnd: boolean | null = null;
    await controller.run(smallSpec(40), [
      (e) => {
        if (e.type === 'start') setTimeout(() => (fired = true), 0);
        if (e.type === 'finished') firedBeforeEnd = fired;
      },
    ]);
    expect(firedBeforeEnd).toBe(true);
  });

  test('a run can pause by itself after a number of steps', async () => {
    const { controller, steps, listener } = controlled();
    const done = controller.run(smallSpec(5), [listener], { stepsBeforePause: 2 });
    await until(() => controller.phase === 'paused', 'the pause after 2 steps');
    expect(steps).toEqual([1, 2]);
    controller.resume();
    expect((await done).status).toBe('complete');
  });

  test('one run at a time', async () => {
    const { controller } = controlled();
    const first = controller.run(smallSpec(3), [], { stepsBeforePause: 0 });
    await expect(controller.run(smallSpec(3), [])).rejects.toThrow(/already going/);
    controller.resume();
    expect((await first).status).toBe('complete');
  });
});
