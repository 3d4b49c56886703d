import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { findStudy, studyNames } from '@gradlab/experiments';
import { describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

/**
 * `gradlab verify` end to end, through the built command. The real-study tests use the cheapest
 * study of the catalogue, with its fast settings.
 */
const CHEAP = ['rosenbrock', 'deep-linear'];
const cheapest = CHEAP.find((n) => studyNames().includes(n));
if (!cheapest) {
  console.warn(
    `verify.test.ts: none of the cheap studies (${CHEAP.join(', ')}) is in the catalogue; the tests that run a real study are skipped.`,
  );
}

const fresh = (prefix: string) => mkdtempSync(join(tmpdir(), `gradlab-verify-${prefix}-`));

describe('gradlab verify: bad input, exit code 2, nothing written', () => {
  it('an unknown study names the known ones', () => {
    const cwd = fresh('unknown');
    const r = gradlab(['verify', 'no-such-study'], { cwd });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/there is no study named "no-such-study"\..* Known studies: /);
    expect(r.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.skipIf(!cheapest)('an unavailable backend, with the reason', () => {
    const cwd = fresh('backend');
    // --jitless turns WebAssembly off in Node: wasm is unavailable.
    const r = gradlab(['verify', cheapest as string, '--backend', 'wasm'], {
      cwd,
      nodeArgs: ['--jitless'],
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/backend "wasm" is not available here: .*WebAssembly/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe.skipIf(!cheapest)('gradlab verify <study> --fast', () => {
  const name = cheapest as string;

  it('prints a header and one PASS/FAIL line per check, writes verify.json and report.html, exits as verify.json says', () => {
    const out = join(fresh('run'), 'out');
    const r = gradlab(['verify', name, '--fast', '--backend', 'wasm', '--out', out]);
    const v = JSON.parse(readFileSync(join(out, 'verify.json'), 'utf8'));
    expect(r.status, r.stderr).toBe(v.pass ? 0 : 1);
    expect(v).toMatchObject({
      kind: 'study-verification',
      name,
      scale: 'fast',
      status: 'complete',
    });
    expect(v.settings).toEqual(findStudy(name).settings.fast);
    expect(r.stdout).toContain(`${name}: ${v.title}`);
    const lines = r.stdout.split('\n').filter((l) => /^ {2}(PASS|FAIL) {2}/.test(l));
    expect(lines).toHaveLength(v.checks.length);
    for (const [i, c] of v.checks.entries()) {
      expect(lines[i]).toBe(
        `  ${c.pass ? 'PASS' : 'FAIL'}  ${c.claim.replace(/\.$/, '')}: measured ${c.measured}; expected ${c.expected}`,
      );
    }
    expect(r.stdout).toMatch(
      new RegExp(
        `^${v.pass ? 1 : 0} of 1 study passed \\(\\d+ of ${v.checks.length} checks\\) in [\\d.]+ s on wasm, fast scale$`,
        'm',
      ),
    );
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    for (const c of v.checks) expect(page).toContain(`<code>${c.id}</code>`);
    const drawable = v.figures.filter((f: { points: unknown[] }) => f.points.length > 0);
    expect(page.match(/<svg/g)?.length ?? 0).toBe(drawable.length);
    for (const run of v.runs) {
      expect(readdirSync(join(out, run.record)).sort()).toEqual(
        expect.arrayContaining(['report.html', 'run.json', 'spec.json']),
      );
    }
  });

  it('--json prints the verification as JSON, nothing else; without --out it writes runs/<time>-verify-<study>', () => {
    const cwd = fresh('json');
    const r = gradlab(['verify', name, '--fast', '--backend', 'wasm', '--json'], { cwd });
    const summary = JSON.parse(r.stdout);
    // Named as run and compare name theirs: the timestamp first, then what was done.
    const made = readdirSync(join(cwd, 'runs'));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(new RegExp(`^\\d{8}-\\d{6}-verify-${name}$`));
    expect(basename(summary.out)).toBe(made[0]);
    expect(readdirSync(join(cwd, 'runs', made[0] as string))).toContain('verify.json');
    expect(summary).toMatchObject({
      kind: 'verify',
      target: name,
      scale: 'fast',
      status: 'complete',
    });
    expect(summary.studies.map((s: { name: string }) => s.name)).toEqual([name]);
    expect(r.status).toBe(summary.pass ? 0 : 1);
  });

  it('gradlab presets lists the study with its claim; presets <study> shows its settings', () => {
    const study = findStudy(name);
    const list = gradlab(['presets']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/│ study\s+│ the published claim it checks/);
    expect(list.stdout).toContain(name);
    const one = gradlab(['presets', name]);
    expect(one.status, one.stderr).toBe(0);
    for (const part of [
      'reference:',
      'claim:',
      'scale note:',
      'settings (full',
      'settings (fast',
    ]) {
      expect(one.stdout).toContain(part);
    }
    expect(one.stdout).toContain(study.title);
    for (const key of Object.keys(study.settings.fast)) expect(one.stdout).toContain(`  ${key}: `);
  });
});

describe('gradlab presets <study>: where the spec of one arm is', () => {
  it('a study that trains says its runs are recorded with a spec gradlab run takes; host numerics do not', () => {
    const trains = findStudy('he-init');
    const hostOnly = findStudy('rosenbrock');
    expect([trains.usesBackend, hostOnly.usesBackend]).toEqual([true, false]);
    const r = gradlab(['presets', trains.name]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      'recorded with its spec.json: `gradlab run <that spec.json>` reruns one arm alone',
    );
    const host = gradlab(['presets', hostOnly.name]);
    expect(host.status, host.stderr).toBe(0);
    expect(host.stdout).not.toContain('gradlab run');
  });
});
