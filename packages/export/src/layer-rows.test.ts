import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGradlabError, type MetricsRow } from '@gradlab/core';
import { readRunRecord } from '@gradlab/core/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { csvField, layerRowsCsv } from './csv.js';
import { exportRun } from './export-run.js';
import { LAYER_COLUMNS, layerRows } from './layer-rows.js';
import { writeTestRecord } from './test-record.js';

/** RFC 4180 CSV back into rows of fields: quoted fields, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

let root = '';
let runDir = '';
let metrics: MetricsRow[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gradlab-export-rows-'));
  runDir = join(root, 'run');
  await writeTestRecord(runDir);
  metrics = (await readRunRecord(runDir)).metrics as MetricsRow[];
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** What the record says for (step, layer), in export column names. */
function expected(step: number, layer: string) {
  const m = metrics.find((r) => r.step === step) as MetricsRow;
  const l = m.layers.find((x) => x.name === layer);
  if (!l) throw new Error(`no ${layer} at step ${step}`);
  return { m, l };
}

describe('CSV and JSON Lines exports', () => {
  test('csv: a header, then one row per step per layer with the record values', async () => {
    const { files, rows } = await exportRun(runDir, 'csv', join(root, 'csv'));
    const table = parseCsv(await readFile(files[0] as string, 'utf8'));
    expect(table[0]).toEqual([...LAYER_COLUMNS]);
    const body = table.slice(1);
    const layerCount = metrics.reduce((n, m) => n + m.layers.length, 0);
    expect(body.length).toBe(layerCount);
    expect(rows).toBe(layerCount);
    const col = (name: string) => LAYER_COLUMNS.indexOf(name as (typeof LAYER_COLUMNS)[number]);
    for (const r of body) {
      const { m, l } = expected(Number(r[col('step')]), r[col('layer')] as string);
      expect(Number(r[col('grad_norm')])).toBe(l.gradNorm);
      expect(Number(r[col('loss')])).toBe(m.loss);
      expect(r[col('verdict')]).toBe(l.verdict);
      // Not measured between full-diagnostic steps: an empty cell, not a 0.
      expect(r[col('weight_norm')]).toBe(l.weightNorm === null ? '' : String(l.weightNorm));
    }
    expect(body.some((r) => r[col('weight_norm')] === '')).toBe(true);
  });

  test('jsonl: one object per step per layer, nulls kept', async () => {
    const { files } = await exportRun(runDir, 'jsonl', join(root, 'jsonl'));
    const lines = (await readFile(files[0] as string, 'utf8')).trim().split('\n');
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed).toEqual(layerRows(metrics));
    expect(parsed.length).toBe(metrics.reduce((n, m) => n + m.layers.length, 0));
    for (const r of parsed) {
      const { l } = expected(r.step, r.layer);
      expect(r.grad_norm).toBe(l.gradNorm);
      expect(r.update_ratio).toBe(l.updateToWeight);
    }
  });

  test('csv quoting: commas, quotes and line breaks survive a round trip', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    const row = { ...layerRows(metrics)[0], layer: 'odd, "name"\nhere' } as ReturnType<
      typeof layerRows
    >[number];
    const back = parseCsv(layerRowsCsv([row]));
    expect(back[1]?.[LAYER_COLUMNS.indexOf('layer')]).toBe('odd, "name"\nhere');
    expect(back[1]?.length).toBe(LAYER_COLUMNS.length);
  });
});

describe('bad input writes nothing', () => {
  const refused = async (run: () => Promise<unknown>, message: RegExp) => {
    const e = await run().then(
      () => null,
      (x: unknown) => x,
    );
    expect(isGradlabError(e)).toBe(true);
    expect((e as Error).message).toMatch(message);
  };

  test('an unknown format, a missing run, a directory without run.json', async () => {
    const out = join(root, 'never');
    await refused(() => exportRun(runDir, 'parquet', out), /unknown export format "parquet"/);
    await refused(() => exportRun(join(root, 'nope'), 'csv', out), /does not exist/);
    await mkdir(join(root, 'not-a-run'));
    await refused(() => exportRun(join(root, 'not-a-run'), 'csv', out), /no run\.json/);
    expect(await readdir(root)).not.toContain('never');
  });

  test('an --out that exists and is not empty is left as it was', async () => {
    const out = join(root, 'full');
    await mkdir(out);
    await writeFile(join(out, 'mine.txt'), 'keep');
    await refused(() => exportRun(runDir, 'tensorboard', out), /not empty/);
    expect(await readdir(out)).toEqual(['mine.txt']);
  });
});
