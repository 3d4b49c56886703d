/**
 * The memory budget, end to end: a spec that cannot fit is refused before anything is allocated
 * or written (exit 2, the estimate and the limit in the message); one that fits runs.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

const huge = {
  gradlab: 1,
  name: 'huge',
  data: { kind: 'teacher' },
  model: { kind: 'mlp', depth: 1000, width: 8192 },
};
const limit = { GRADLAB_MAX_MEMORY: '4GiB' };
/**
 * Node and the CLI's modules take about a second to load on a busy 2-core machine; the check
 * itself takes milliseconds. A run that started allocating 1.3 TiB would take minutes to die.
 */
const REFUSAL_MS = 5000;

function workdir(): { dir: string; spec: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-budget-'));
  const spec = join(dir, 'huge.json');
  writeFileSync(spec, JSON.stringify(huge));
  return { dir, spec };
}

describe('a spec over the memory limit', () => {
  it.each([
    ['run', ['run', '--backend', 'cpu']],
    ['compare --backends', ['compare', '--backends', 'cpu']],
    ['compare --with', ['compare', '--with', 'batchnorm', '--backend', 'cpu']],
  ])('%s: exit 2 at once, the estimate and the limit said, nothing written', (_, args) => {
    const { dir, spec } = workdir();
    const [command, ...rest] = args as [string, ...string[]];
    const t0 = performance.now();
    const r = gradlab([command, spec, ...rest], { cwd: dir, env: limit });
    const ms = performance.now() - t0;
    expect(r.status, r.stderr).toBe(2);
    expect(ms).toBeLessThan(REFUSAL_MS);
    expect(r.stderr).toMatch(
      /over the memory limit: it needs about [\d.]+ TiB \(6\.7e10 parameters/,
    );
    expect(r.stderr).toContain('the limit is 4.00 GiB (GRADLAB_MAX_MEMORY=4GiB)');
    // No default runs/ directory, no staging directory: only the spec.
    expect(readdirSync(dir)).toEqual(['huge.json']);
  });

  it("without GRADLAB_MAX_MEMORY, the machine's memory is the limit", () => {
    const { dir, spec } = workdir();
    const r = gradlab(['run', spec, '--backend', 'cpu'], {
      cwd: dir,
      env: { GRADLAB_MAX_MEMORY: '' },
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/the limit is [\d.]+ [GT]iB \(75% of this machine's/);
    expect(readdirSync(dir)).toEqual(['huge.json']);
  });

  it('a bad GRADLAB_MAX_MEMORY is bad input', () => {
    const { dir, spec } = workdir();
    const r = gradlab(['run', spec], { cwd: dir, env: { GRADLAB_MAX_MEMORY: 'plenty' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/GRADLAB_MAX_MEMORY: "plenty" is not a size/);
  });
});

describe('a spec within the limit', () => {
  it('a preset runs under the limit', () => {
    const { dir } = workdir();
    const r = gradlab(['run', 'tiny', '--steps', '2', '--backend', 'cpu', '-q'], {
      cwd: dir,
      env: limit,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/run written to/);
  });

  it('the same preset is refused under a limit it exceeds', () => {
    const { dir } = workdir();
    const r = gradlab(['run', 'tiny', '--steps', '2', '--backend', 'cpu'], {
      cwd: dir,
      env: { GRADLAB_MAX_MEMORY: '1KiB' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the limit is 1.00 KiB (GRADLAB_MAX_MEMORY=1KiB)');
    expect(readdirSync(dir)).toEqual(['huge.json']);
  });
});
