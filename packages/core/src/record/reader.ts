import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepDiagnostics } from '../diagnostics/types.js';
import { GradlabError } from '../errors.js';
import type { ExperimentSpec } from '../spec/schema.js';
import { parseSpec } from '../spec/validate.js';
import type { RunManifest } from './writer.js';

export interface RunRecord {
  readonly spec: ExperimentSpec;
  readonly manifest: RunManifest;
  readonly metrics: (StepDiagnostics & { ms: number })[];
}

/** Reads a finished run directory; a directory without run.json is reported as incomplete. */
export async function readRunRecord(dir: string): Promise<RunRecord> {
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
  const metrics = (await readFile(join(dir, 'metrics.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StepDiagnostics & { ms: number });
  return { spec, manifest, metrics };
}
