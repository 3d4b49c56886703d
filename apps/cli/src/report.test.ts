import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// End-to-end: the built command, as a user runs it. `pnpm test` builds it first.
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function gradlab(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });
}

let work: string;
let run: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (pnpm build)`);
  work = mkdtempSync(join(tmpdir(), 'gradlab-report-e2e-'));
  run = join(work, 'tiny');
  const r = gradlab(['run', 'tiny', '--backend', 'cpu', '--out', run]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain(`report: ${join(run, 'report.html')}`);
});

function expectSelfContained(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
}

describe('gradlab report', () => {
  it('gradlab run wrote a self-contained report.html beside the record', () => {
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    expectSelfContained(html);
    expect(html).toContain('<h1>tiny</h1>');
    expect(html).toMatch(/Verdict: (healthy|vanishing|exploding|non-finite)/);
    expect(html).toContain('Per-layer gradients at step 20');
    expect(html.match(/<svg/g)).toHaveLength(3);
  });

  it('regenerates report.html and prints its path', () => {
    rmSync(join(run, 'report.html'));
    const r = gradlab(['report', run]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(run, 'report.html'));
    expectSelfContained(readFileSync(join(run, 'report.html'), 'utf8'));
  });

  it('--format svg --out writes the gradient-flow chart', () => {
    const out = join(work, 'flow.svg');
    const r = gradlab(['report', run, '--format', 'svg', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Gradient flow');
    expect(svg).toContain('vanishing (step 20)');
  });

  it('a directory without run.json is refused: exit 2, RECORD_INCOMPLETE, nothing written', () => {
    const dir = join(work, 'not-a-run');
    mkdirSync(dir);
    const r = gradlab(['report', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/has no run\.json: it is not a finished gradlab run/);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
    expect(gradlab(['report', join(work, 'missing')]).status).toBe(2);
  });

  it('an unknown --format is refused with exit 2', () => {
    const r = gradlab(['report', run, '--format', 'pdf']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/pdf/);
  });
});
