import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { GradlabError } from '../errors.js';
import { parseSpec } from '../spec/validate.js';
import { parseRunBundle } from './bundle.js';
import {
  MetricsRowSchema,
  PretrainRowSchema,
  parseRecordJson,
  RunManifestSchema,
  recordJson,
} from './record-schema.js';
import type { RunManifest, RunRecord } from './types.js';

/** A record's file, or INVALID_RECORD naming it when it is missing or unreadable. */
async function readRecordFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new GradlabError(
      'INVALID_RECORD',
      `${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): a run directory holds run.json, spec.json and metrics.jsonl.`,
    );
  }
}

/** The lines of a JSONL file, each parsed and checked; a bad line is named by its number. */
async function readJsonLines<T>(path: string, schema: z.ZodType<T>): Promise<T[]> {
  const rows: T[] = [];
  const lines = (await readRecordFile(path)).split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    rows.push(parseRecordJson(schema, line, `${path} line ${i + 1}`));
  });
  return rows;
}

/**
 * Reads a finished run directory, or a run bundle file (.gradlab.json, see bundle.ts); a
 * directory without run.json is reported as incomplete.
 */
export async function readRunRecord(dir: string): Promise<RunRecord> {
  if ((await stat(dir).catch(() => null))?.isFile()) {
    return parseRunBundle(await readFile(dir, 'utf8'), dir);
  }
  let manifestText: string;
  try {
    manifestText = await readFile(join(dir, 'run.json'), 'utf8');
  } catch {
    throw new GradlabError(
      'RECORD_INCOMPLETE',
      `${dir} has no run.json: it is not a finished gradlab run (a run still going, or one that crashed).`,
    );
  }
  // Validated, then typed as written: the schemas check what the reports rely on.
  const manifest = parseRecordJson(RunManifestSchema, manifestText, join(dir, 'run.json'));
  const specPath = join(dir, 'spec.json');
  const specJson = recordJson(await readRecordFile(specPath), specPath);
  const spec = parseSpec(specJson, specPath);
  const metrics = await readJsonLines(join(dir, 'metrics.jsonl'), MetricsRowSchema);
  const pretraining = existsSync(join(dir, 'pretrain.jsonl'))
    ? await readJsonLines(join(dir, 'pretrain.jsonl'), PretrainRowSchema)
    : [];
  return {
    spec,
    manifest: manifest as unknown as RunManifest,
    metrics: metrics as unknown as RunRecord['metrics'],
    pretraining: pretraining as RunRecord['pretraining'],
  };
}
