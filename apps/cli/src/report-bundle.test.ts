import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toRunBundle } from '@gradlab/core';
import { readRunRecord } from '@gradlab/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

// A run bundle is the one-file form of a run directory that the playground exports.
let work: string;
let bundle: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gradlab-report-bundle-'));
  const run = join(work, 'run');
  const r = gradlab(['run', 'tiny', '--backend', 'cpu', '--out', run, '--quiet']);
  expect(r.status, r.stderr).toBe(0);
  bundle = join(work, 'tiny.gradlab.json');
  writeFileSync(bundle, JSON.stringify(toRunBundle(await readRunRecord(run))));
});

describe('gradlab report on a run bundle', () => {
  it('writes NAME.report.html beside the bundle, with the same charts as a run directory', () => {
    const r = gradlab(['report', bundle]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(work, 'tiny.report.html'));
    const html = readFileSync(join(work, 'tiny.report.html'), 'utf8');
    expect(html).toContain('<h1>tiny</h1>');
    expect(html).toContain('Per-layer gradients at step 20');
    expect(html.match(/<svg/g)?.length).toBe(4);
  });

  it('--format md and svg name their files after the bundle too', () => {
    const md = gradlab(['report', bundle, '--format', 'md']);
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout.trim()).toBe(join(work, 'tiny.report.md'));
    expect(readFileSync(join(work, 'tiny.report.md'), 'utf8')).toContain('| dense1 |');
    const svg = gradlab(['report', bundle, '--format', 'svg']);
    expect(svg.stdout.trim()).toBe(join(work, 'tiny.gradient-flow.svg'));
  });

  it('a file that is not a bundle is refused with exit 2 and nothing written', () => {
    const bad = join(work, 'bad', 'notes.json');
    const dir = join(work, 'bad');
    mkdirSync(dir);
    writeFileSync(bad, JSON.stringify({ kind: 'notes' }));
    const r = gradlab(['report', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /notes\.json is not a gradlab run bundle: "kind" must be "gradlab-run"/,
    );
    expect(readdirSync(dir)).toEqual(['notes.json']);
  });
});
