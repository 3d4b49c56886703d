import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepDiagnostics } from '../diagnostics/types.js';
import { GradlabError } from '../errors.js';
import type { ExperimentSpec } from '../spec/schema.js';
import { parseSpec } from '../spec/validate.js';
import { parseRunBundle } from './bundle.js';
import type { RunManifest } from './writer.js';

export interface RunRecord {
  readonly spec: ExperimentSpec;
  readonly manifest: RunManifest;
  readonly metrics: (StepDiagnostics & { ms: number })[];
  /** Layer-wise pre-training steps, empty when the run had none. */
  readonly pretraining: { layer: string; step: number; loss: number }[];
}

async function readJsonLines<T>(path: string): Promise<T[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
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
  const manifest = JSON.parse(manifestText) as RunManifest;
  const spec = parseSpec(
    JSON.parse(await readFile(join(dir, 'spec.json'), 'utf8')),
    join(dir, 'spec.json'),
  );
  const metrics = await readJsonLines<StepDiagnostics & { ms: number }>(join(dir, 'metrics.jsonl'));
  const pretraining = existsSync(join(dir, 'pretrain.jsonl'))
    ? await readJsonLines<{ layer: string; step: number; loss: number }>(
        join(dir, 'pretrain.jsonl'),
      )
    : [];
  return { spec, manifest, metrics, pretraining };
}
