import { parseRunBundle, useBackend } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCell } from './cell.js';
import { renderCellReport } from './report.js';
import { quickCells, registerTestBackends } from './test-support.js';

beforeAll(registerTestBackends);

const live = () => {
  const m = tf.memory();
  return { tensors: m.numTensors, bytes: m.numBytes };
};

describe('runCell', () => {
  test.each(['cpu', 'wasm'])(
    'runs a cell on %s and returns its whole record, leaving no tensor behind',
    async (backend) => {
      const [cell] = quickCells(backend);
      if (!cell) throw new Error('no cell');
      await useBackend(backend);
      const before = live();
      const { bundle, summary } = await runCell(cell);
      expect(live()).toEqual(before);

      // The bundle is an ordinary run record: it survives JSON (a queue, a file) and reads back.
      const record = parseRunBundle(JSON.stringify(bundle));
      expect(record.spec).toEqual(cell.spec);
      expect(record.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
      expect(record.manifest.backend.name).toBe(backend);
      expect(record.manifest.environment.node).toBe(process.version);

      expect(summary).toMatchObject({
        status: 'complete',
        backend,
        steps: 3,
        error: null,
        verdict: bundle.run.result.verdict,
        finalLoss: bundle.run.result.evaluation?.loss,
      });
      expect(summary.layers.map((l) => l.name)).toEqual(['dense1', 'dense2', 'output']);
      expect(summary.layers.every((l) => typeof l.gradNorm === 'number')).toBe(true);
    },
  );

  test('a cell gives the same numbers whatever ran before it in the process', async () => {
    const [a, b] = quickCells('wasm');
    if (!a || !b) throw new Error('no cells');
    const first = await runCell(a);
    await runCell(b);
    const again = await runCell(a);
    const losses = (o: typeof first) => o.bundle.metrics.map((m) => m.loss);
    expect(losses(again)).toEqual(losses(first));
    expect(again.summary.layers).toEqual(first.summary.layers);
  });

  test('a backend that does not exist is an error, with no record', async () => {
    const [cell] = quickCells('cpu');
    if (!cell) throw new Error('no cell');
    await expect(runCell({ ...cell, backend: 'nope' })).rejects.toThrow(/unknown backend "nope"/);
  });

  test("the worker draws the cell's report from its bundle", async () => {
    const [cell] = quickCells('cpu');
    if (!cell) throw new Error('no cell');
    const html = await renderCellReport((await runCell(cell)).bundle);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('dense1');
  });
});
