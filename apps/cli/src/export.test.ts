import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunRecord } from '@gradlab/core/node';
import { decodeEvent, readRecords } from '@gradlab/export';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gradlab } from './test-cli.js';

let root = '';
let run = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gradlab-export-cli-'));
  run = join(root, 'run');
  const r = gradlab(['run', 'tiny', '--backend', 'cpu', '--steps', '4', '--quiet', '--out', run]);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('gradlab export', () => {
  test('--format tensorboard: one event file, an Event per step with the loss', async () => {
    const out = join(root, 'tb');
    const r = gradlab(['export', run, '--format', 'tensorboard', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const [file] = await readdir(out);
    expect(r.stdout.trim()).toBe(join(out, file as string));
    const events = readRecords(await readFile(join(out, file as string))).map(decodeEvent);
    const { metrics } = await readRunRecord(run);
    expect(events.slice(1).map((e) => e.step)).toEqual(metrics.map((m) => m.step));
    const losses = events.slice(1).map((e) => e.summary?.value.find((v) => v.tag === 'loss'));
    expect(losses.map((v) => v?.simpleValue)).toEqual(metrics.map((m) => Math.fround(m.loss)));
    expect(r.stderr).toMatch(/no histograms/);
  });

  test('--format csv and jsonl: one row per step per layer', async () => {
    const { metrics } = await readRunRecord(run);
    const rows = metrics.reduce((n, m) => n + m.layers.length, 0);
    for (const format of ['csv', 'jsonl']) {
      const out = join(root, format);
      const r = gradlab(['export', run, '--format', format, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      const text = await readFile(join(out, `layers.${format}`), 'utf8');
      const lines = text.trim().split(/\r?\n/);
      expect(lines.length).toBe(format === 'csv' ? rows + 1 : rows);
    }
  });

  test('bad input: exit 2, a message, nothing written', async () => {
    const full = join(root, 'full');
    await mkdir(full);
    await writeFile(join(full, 'keep.txt'), 'x');
    const cases: [string[], RegExp][] = [
      [['export', run, '--format', 'xml', '--out', join(root, 'a')], /'xml' is invalid/],
      [
        ['export', join(root, 'none'), '--format', 'csv', '--out', join(root, 'b')],
        /does not exist/,
      ],
      [['export', root, '--format', 'csv', '--out', join(root, 'c')], /no run\.json/],
      [['export', run, '--format', 'csv', '--out', full], /is not empty/],
    ];
    for (const [args, message] of cases) {
      const r = gradlab(args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    for (const dir of ['a', 'b', 'c']) expect(existsSync(join(root, dir))).toBe(false);
    expect(await readdir(full)).toEqual(['keep.txt']);
  });
});
