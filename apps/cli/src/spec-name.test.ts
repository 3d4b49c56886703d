import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

// A spec's name is anything its author typed. It names the default run directory only as a
// safe slug inside runs/, stays as written in the record, and reaches the terminal escaped.
const tiny = {
  gradlab: 1,
  seed: 1,
  data: { kind: 'teacher', task: 'classification', inputSize: 4, outputSize: 2, samples: 32 },
  model: { kind: 'mlp', depth: 2, width: 4, activation: 'tanh', init: 'xavier-uniform' },
  training: { steps: 2, batchSize: 8, optimizer: { kind: 'sgd', lr: 0.1 } },
};

function runNamed(name: string) {
  const root = mkdtempSync(join(tmpdir(), 'gradlab-name-'));
  const cwd = join(root, 'a', 'b', 'work');
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(cwd, 'spec.json'), JSON.stringify({ ...tiny, name }));
  const r = gradlab(['run', 'spec.json', '--backend', 'cpu', '--quiet'], { cwd });
  return { r, root, cwd };
}

describe('a spec name used for the run directory', () => {
  it('cannot climb out of runs/ (x/../../../escaped): the run lands in runs/, named by a slug', () => {
    const { r, root, cwd } = runNamed('x/../../../escaped');
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(root)).toEqual(['a']);
    expect(readdirSync(join(root, 'a'))).toEqual(['b']);
    expect(readdirSync(cwd).sort()).toEqual(['runs', 'spec.json']);
    const [dir, ...others] = readdirSync(join(cwd, 'runs'));
    expect(others).toEqual([]);
    expect(dir).toMatch(/^\d{8}-\d{6}-x-escaped-cpu$/);
    // The record keeps the name as written.
    const spec = JSON.parse(readFileSync(join(cwd, 'runs', dir as string, 'spec.json'), 'utf8'));
    expect(spec.name).toBe('x/../../../escaped');
  });

  it('may hold a NUL', () => {
    const { r, cwd } = runNamed('nul\u0000name');
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(cwd, 'runs'))[0]).toMatch(/-nul-name-cpu$/);
  });

  it('reaches the terminal with its escape sequences made visible, never raw', () => {
    const { r, cwd } = runNamed('\u001b]0;pwned\u0007\u001b[2Jclear');
    // Without --quiet too: the progress lines name the run.
    const loud = gradlab(['run', 'spec.json', '--backend', 'cpu'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    expect(loud.status, loud.stderr).toBe(0);
    expect(loud.stderr).toContain('gradlab: \\x1b]0;pwned\\x07\\x1b[2Jclear on cpu');
    for (const text of [r.stdout, r.stderr, loud.stdout, loud.stderr]) {
      expect(text).not.toContain('\u001b');
      expect(text).not.toContain('\u0007');
    }
  });
});
