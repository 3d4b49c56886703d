import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

// `gradlab report` on a comparison directory whose comparison.json is damaged, cut short or from
// a newer gradlab: exit 2, one message naming the file and the problem, no stack trace, and no
// comparison.html written. The same check guards the page `gradlab compare` draws.
let work: string;
let mitigations: string;
let backends: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gradlab-comparison-corrupt-'));
  mitigations = join(work, 'with');
  backends = join(work, 'backends');
  const common = ['--steps', '3', '--quiet'];
  const a = gradlab([
    'compare',
    'tiny',
    '--with',
    'batchnorm',
    '--backend',
    'cpu',
    ...common,
    '--out',
    mitigations,
  ]);
  expect(a.status, a.stderr).toBe(0);
  const b = gradlab(['compare', 'tiny', '--backends', 'cpu', ...common, '--out', backends]);
  expect(b.status, b.stderr).toBe(0);
});

/** A copy of `from` with comparison.json edited and no comparison.html. */
function damaged(from: string, name: string, edit: (text: string) => string): string {
  const dir = join(work, name);
  cpSync(from, dir, { recursive: true });
  rmSync(join(dir, 'comparison.html'));
  const file = join(dir, 'comparison.json');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

/** `edit` applied to comparison.json's value. */
const json = (edit: (c: Record<string, unknown>) => void) => (text: string) => {
  const c = JSON.parse(text);
  edit(c);
  return JSON.stringify(c);
};

function refused(dir: string, message: RegExp): void {
  const r = gradlab(['report', dir]);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toContain(join(dir, 'comparison.json'));
  expect(r.stderr).not.toMatch(/\n\s+at |unexpected error/);
  expect(r.status).toBe(2);
  expect(existsSync(join(dir, 'comparison.html'))).toBe(false);
}

describe('gradlab report on a damaged comparison.json', () => {
  it('truncated', () => {
    const dir = damaged(mitigations, 'truncated', (t) => t.slice(0, t.length / 2));
    refused(dir, /comparison\.json is not valid JSON \(.*\): the file is truncated or corrupt/);
  });

  it('an empty object', () => {
    const dir = damaged(mitigations, 'empty', () => '{}');
    refused(
      dir,
      /comparison\.json is not a gradlab comparison: gradlab: missing; expected the format version 1\./,
    );
  });

  it('not an object', () => {
    const dir = damaged(backends, 'array', () => '[1, 2]');
    refused(dir, /comparison\.json is not a gradlab comparison: the file holds an array/);
  });

  it('from a newer format version', () => {
    const dir = damaged(
      backends,
      'future',
      json((c) => Object.assign(c, { gradlab: 2 })),
    );
    refused(
      dir,
      /comparison\.json is in comparison format version 2, from a newer gradlab; this one reads version 1/,
    );
  });

  it('of an unknown kind, naming the kinds there are', () => {
    const dir = damaged(
      mitigations,
      'kind',
      json((c) => Object.assign(c, { kind: 'bakeoff' })),
    );
    refused(
      dir,
      /kind: "bakeoff"; expected "comparison" \(gradlab compare --with\) or "backend-comparison" \(gradlab compare --backends\)/,
    );
  });

  it("a mitigation row's field of the wrong type, by its path", () => {
    const dir = damaged(
      mitigations,
      'row',
      json((c) => Object.assign((c.rows as object[])[1] as object, { variant: 7 })),
    );
    refused(
      dir,
      /comparison\.json is not a gradlab comparison: rows\.1\.variant: .*expected string/,
    );
  });

  it("a backend comparison's layer of the wrong shape, by its path", () => {
    const dir = damaged(
      backends,
      'layers',
      json((c) => Object.assign((c.layers as object[])[0] as object, { maxRelDiff: 'big' })),
    );
    refused(dir, /comparison\.json is not a gradlab comparison: layers\.0\.maxRelDiff: /);
  });

  it('rewrites comparison.html from a whole one, of either kind', () => {
    for (const dir of [mitigations, backends]) {
      rmSync(join(dir, 'comparison.html'));
      const r = gradlab(['report', dir]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(join(dir, 'comparison.html'));
      expect(readFileSync(join(dir, 'comparison.html'), 'utf8')).toContain('<h1>gradlab');
    }
  });

  it('refuses a format other than html for a comparison', () => {
    const r = gradlab(['report', mitigations, '--format', 'md']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--format md: a comparison's report is comparison.html only");
  });
});
