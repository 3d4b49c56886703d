import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsRow } from '@gradlab/core';
import { readRunRecord } from '@gradlab/core/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeEvent, FILE_VERSION } from './event-proto.js';
import { exportRun } from './export-run.js';
import { stepScalars } from './step-scalars.js';
import { writeTestRecord } from './test-record.js';
import { frameRecord, maskedCrc32c, readRecords } from './tfrecord.js';

let root = '';
let runDir = '';
let metrics: MetricsRow[] = [];
let eventFile = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gradlab-export-tb-'));
  runDir = join(root, 'run');
  await writeTestRecord(runDir);
  metrics = (await readRunRecord(runDir)).metrics as MetricsRow[];
  const result = await exportRun(runDir, 'tensorboard', join(root, 'tb'));
  eventFile = result.files[0] as string;
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('TFRecord framing', () => {
  test("the masked CRC-32C is TensorFlow's (CRC-32C check value, then the mask)", () => {
    // CRC-32C("123456789") = 0xe3069283; masked: rotate right 15, add 0xa282ead8.
    const crc = 0xe3069283;
    const masked = ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
    expect(maskedCrc32c(Buffer.from('123456789'))).toBe(masked);
  });

  test('a framed record reads back, and a flipped byte is refused', () => {
    const data = Buffer.from('some event bytes');
    const framed = frameRecord(data);
    expect(framed.length).toBe(8 + 4 + data.length + 4);
    expect(Buffer.from(readRecords(framed)[0] as Uint8Array).toString()).toBe('some event bytes');
    const damaged = Buffer.from(framed);
    damaged[14] = (damaged[14] as number) ^ 1;
    expect(() => readRecords(damaged)).toThrow(/bad data CRC/);
    const badLength = Buffer.from(framed);
    badLength[0] = (badLength[0] as number) ^ 1;
    expect(() => readRecords(badLength)).toThrow(/bad length CRC/);
  });
});

describe('gradlab export --format tensorboard', () => {
  test('one events.out.tfevents file, file_version first, then one Event per metrics row', async () => {
    expect(await readdir(join(root, 'tb'))).toEqual([eventFile.split('/').pop()]);
    expect(eventFile.split('/').pop()).toMatch(/^events\.out\.tfevents\.\d+\./);
    const events = readRecords(await readFile(eventFile)).map(decodeEvent);
    expect(events[0]?.fileVersion).toBe(FILE_VERSION);
    expect(events.length).toBe(metrics.length + 1);
    expect(events.slice(1).map((e) => e.step)).toEqual(metrics.map((m) => m.step));
    // Wall times never go back.
    const times = events.map((e) => e.wallTime);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  test("every scalar equals the record's value, as a float32", async () => {
    const events = readRecords(await readFile(eventFile))
      .map(decodeEvent)
      .slice(1);
    for (const [i, m] of metrics.entries()) {
      const values = new Map(events[i]?.summary?.value.map((v) => [v.tag, v.simpleValue]));
      expect(values.get('loss')).toBe(Math.fround(m.loss));
      expect(values.get('global_grad_norm')).toBe(Math.fround(m.globalGradNorm));
      for (const l of m.layers) {
        expect(values.get(`grad_norm/${l.name}`)).toBe(Math.fround(l.gradNorm));
      }
      // Full steps carry more than the norms: accuracy, weight norms, update ratios.
      if (m.full) {
        expect(values.get('accuracy')).toBe(Math.fround(m.accuracy as number));
        const first = m.layers[0];
        expect(values.get(`update_ratio/${first?.name}`)).toBe(
          Math.fround(first?.updateToWeight as number),
        );
      } else {
        expect(values.has('accuracy')).toBe(false);
      }
      expect([...values.keys()].sort()).toEqual(
        stepScalars(m)
          .map((s) => s.tag)
          .sort(),
      );
    }
  });

  test("TensorBoard's own EventAccumulator reads the same scalars", async () => {
    const python = ['/usr/bin/python3', 'python3'].find(
      (p) => spawnSync(p, ['-c', 'import tensorboard'], { encoding: 'utf8' }).status === 0,
    );
    if (!python) {
      console.log('skipped: no python3 here imports tensorboard (pip install tensorboard)');
      return;
    }
    const script = `
import json, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
acc = EventAccumulator(sys.argv[1]); acc.Reload()
print(json.dumps({t: [[e.step, e.value] for e in acc.Scalars(t)] for t in acc.Tags()['scalars']}))`;
    const out = spawnSync(python, ['-c', script, join(root, 'tb')], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    const scalars = JSON.parse(out.stdout) as Record<string, [number, number][]>;
    expect(scalars.loss?.map(([step]) => step)).toEqual(metrics.map((m) => m.step));
    expect(scalars.loss?.map(([, v]) => v)).toEqual(metrics.map((m) => Math.fround(m.loss)));
  });
});
