import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunRecord } from '@gradlab/core/node';
import { decodeEvent, readRecords } from '@gradlab/export';
import { renderRunReport } from '@gradlab/report';
import { useCpu } from '@gradlab/testkit/helpers';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type GradlabVerdictEvent, gradlabCallback } from './gradlab-callback.js';
import { denseNet, regressionData } from './test-models.js';

let data: { x: tf.Tensor2D; y: tf.Tensor2D };
let root = '';
beforeAll(async () => {
  await useCpu();
  data = regressionData(64);
});
afterAll(() => tf.dispose([data.x, data.y]));
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gradlab-callback-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** Fits `model` one epoch in batches of 16 (4 batches) and returns every verdict event. */
async function fitWatched(
  model: ReturnType<typeof denseNet>,
  options: Parameters<typeof gradlabCallback>[0] = {},
  epochs = 1,
): Promise<GradlabVerdictEvent[]> {
  const events: GradlabVerdictEvent[] = [];
  await model.fit(data.x, data.y, {
    epochs,
    batchSize: 16,
    shuffle: false,
    verbose: 0,
    callbacks: [gradlabCallback({ every: 2, ...options, onVerdict: (e) => events.push(e) })],
  });
  return events;
}

describe('gradlabCallback in model.fit', () => {
  test('a deep sigmoid net is called vanishing, a ReLU/He net healthy', async () => {
    const vanishing = denseNet('vanishing', 10);
    const events = await fitWatched(vanishing);
    // Probes at the first batch and every second: steps 1, 2 and 4 of 4.
    expect(events.map((e) => e.step)).toEqual([1, 2, 4]);
    expect(events.every((e) => e.verdict === 'vanishing')).toBe(true);
    const layers = events[0]?.diagnostics.layers ?? [];
    expect(layers.map((l) => l.name)).toEqual(vanishing.layers.map((l) => l.name));
    // The first layer's gradient is orders of magnitude below the last one's.
    expect(layers[0]?.ratioToLast).toBeLessThan(1e-3);
    // Activation statistics come from the probe's forward pass.
    expect(layers[0]?.activationStd).not.toBeNull();

    const healthy = denseNet('healthy', 4);
    const good = await fitWatched(healthy);
    expect(good.map((e) => e.verdict)).toEqual(['healthy', 'healthy', 'healthy']);
    expect(good.every((e) => e.stopped === null)).toBe(true);
    vanishing.dispose();
    healthy.dispose();
  });

  test('a huge learning rate: training stops at the first non-finite gradient, naming the layers', async () => {
    const model = denseNet('healthy', 4, 1e4);
    const lines: string[] = [];
    const events = await fitWatched(model, { every: 1000, log: (l) => lines.push(l) }, 20);
    const stop = events.find((e) => e.stopped !== null);
    expect(stop?.verdict).toBe('non-finite');
    expect(stop?.stopped).toMatch(
      new RegExp(
        `^non-finite gradients at step ${stop?.step} \\(epoch \\d+, batch \\d+\\) in dense`,
      ),
    );
    // It stopped there: no probe after it, and far from 20 epochs of 4 batches.
    expect(events[events.length - 1]).toBe(stop);
    expect(stop?.step).toBeLessThan(80);
    expect(lines.at(-1)).toBe(stop?.stopped);
    model.dispose();
  });

  test('stopOn "never" trains to the end whatever the gradients do', async () => {
    const model = denseNet('healthy', 4, 1e4);
    const events = await fitWatched(model, { every: 4, stopOn: 'never' }, 5);
    const steps = events.map((e) => e.step);
    // Every 4th batch, and every batch whose loss is not finite: to the last of 5 x 4.
    expect(steps).toEqual(expect.arrayContaining([1, 4, 8, 12, 16, 20]));
    expect(steps.at(-1)).toBe(20);
    const extra = events.filter((e) => e.step !== 1 && e.step % 4 !== 0);
    expect(extra.length).toBeGreaterThan(0);
    expect(extra.every((e) => e.verdict === 'non-finite')).toBe(true);
    expect(events.every((e) => e.stopped === null)).toBe(true);
    model.dispose();
  });

  test('writes a run record that core reads and the report renders, and TensorBoard events', async () => {
    const model = denseNet('vanishing', 6);
    const out = join(root, 'fit');
    const tb = join(root, 'tb');
    const events = await fitWatched(model, { out, tensorboard: tb, name: 'sigmoid-fit' }, 2);
    const record = await readRunRecord(out);
    expect(record.spec.name).toBe('sigmoid-fit');
    expect(record.spec.description).toMatch(/Dense dense1 \(16 units, sigmoid\)/);
    expect(record.manifest.status).toBe('complete');
    expect(record.manifest.result.stepsCompleted).toBe(8);
    expect(record.manifest.result.worstVerdict).toBe('vanishing');
    expect(record.metrics.map((m) => m.step)).toEqual(events.map((e) => e.step));
    expect(record.metrics.map((m) => m.layers[0]?.gradNorm)).toEqual(
      events.map((e) => e.diagnostics.layers[0]?.gradNorm),
    );
    const html = await renderRunReport(record);
    expect(html).toContain('sigmoid-fit');
    expect(html).toContain('dense1');

    const [file] = await readdir(tb);
    const tbEvents = readRecords(await readFile(join(tb, file as string))).map(decodeEvent);
    expect(tbEvents.slice(1).map((e) => e.step)).toEqual(events.map((e) => e.step));
    const first = new Map(tbEvents[1]?.summary?.value.map((v) => [v.tag, v.simpleValue]));
    expect(first.get('grad_norm/dense1')).toBe(
      Math.fround(events[0]?.diagnostics.layers[0]?.gradNorm as number),
    );
    model.dispose();
  });

  test('a stopped fit is recorded as failed, with the reason', async () => {
    const model = denseNet('healthy', 4, 1e4);
    const out = join(root, 'blown');
    const events = await fitWatched(model, { every: 1000, out }, 20);
    const record = await readRunRecord(out);
    expect(record.manifest.status).toBe('failed');
    expect(record.manifest.result.error).toBe(events.at(-1)?.stopped);
    expect(record.manifest.result.worstVerdict).toBe('non-finite');
    model.dispose();
  });

  test('tf.memory() holds no more tensors after fit than before, fit after fit', async () => {
    const model = denseNet('vanishing', 5);
    const before = tf.memory().numTensors;
    await fitWatched(model, { out: join(root, 'm1') });
    const afterFirst = tf.memory().numTensors;
    await fitWatched(model, { out: join(root, 'm2'), tensorboard: join(root, 'm-tb') }, 3);
    expect(afterFirst).toBe(before);
    expect(tf.memory().numTensors).toBe(before);
    // A probe given by the user stays the user's.
    const probe = { x: tf.slice(data.x, 0, 8), y: tf.slice(data.y, 0, 8) };
    const count = tf.memory().numTensors;
    await fitWatched(model, { probe });
    expect(tf.memory().numTensors).toBe(count);
    expect(probe.x.isDisposed).toBe(false);
    tf.dispose([probe.x, probe.y]);
    model.dispose();
  });
});
