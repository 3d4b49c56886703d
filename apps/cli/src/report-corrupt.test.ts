import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

// `gradlab report` on a damaged or newer record: exit 2, one message naming the file (and the
// line of a JSONL file) and the problem, no stack trace, no report written.
let work: string;
let good: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gradlab-corrupt-'));
  good = join(work, 'good');
  const r = gradlab(['run', 'tiny', '--backend', 'cpu', '--steps', '3', '--quiet', '--out', good]);
  expect(r.status, r.stderr).toBe(0);
});

function damaged(name: string, file: string, edit: (text: string) => string): string {
  const dir = join(work, name);
  cpSync(good, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

function refused(dir: string, message: RegExp): void {
  const r = gradlab(['report', dir, '--format', 'md']);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |unexpected error/);
  expect(r.status).toBe(2);
  expect(existsSync(join(dir, 'report.md'))).toBe(false);
}

describe('gradlab report on a damaged record', () => {
  it('a truncated run.json', () => {
    const dir = damaged('truncated', 'run.json', (t) => t.slice(0, t.length / 2));
    refused(dir, /run\.json is not valid JSON \(.*\): the file is truncated or corrupt/);
  });

  it('an empty object for run.json', () => {
    const dir = damaged('empty', 'run.json', () => '{}');
    refused(dir, /run\.json is not a gradlab run record: gradlab: /);
  });

  it('a run.json from a newer format version', () => {
    const dir = damaged('future', 'run.json', (t) => t.replace('"gradlab": 1', '"gradlab": 2'));
    refused(dir, /run\.json is in record format version 2, from a newer gradlab/);
  });

  it('a corrupt line of metrics.jsonl, named by its number', () => {
    const dir = damaged('metrics', 'metrics.jsonl', (t) => {
      const lines = t.split('\n');
      lines[1] = '{"step": 2, "loss": ';
      return lines.join('\n');
    });
    refused(dir, /metrics\.jsonl line 2 is not valid JSON/);
  });

  it('a metrics line of the wrong shape', () => {
    const dir = damaged('shape', 'metrics.jsonl', (t) => t.replace('"step":3', '"step":"three"'));
    refused(dir, /metrics\.jsonl line 3 is not a gradlab run record: step: /);
  });

  it('still reports the undamaged run', () => {
    const r = gradlab(['report', good, '--format', 'md']);
    expect(r.status, r.stderr).toBe(0);
  });
});
