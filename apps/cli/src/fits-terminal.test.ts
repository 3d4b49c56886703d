import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

const work = mkdtempSync(join(tmpdir(), 'gradlab-fits-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));
const at = (columns: number) => ({ env: { COLUMNS: String(columns) } });

describe('every command fits the terminal it is given', () => {
  it('compare --with: at 80 and 120 columns the table fits; piped, all of it', () => {
    const compare = (name: string, columns?: number) =>
      gradlab(
        [
          'compare',
          'tiny',
          '--with',
          'batchnorm',
          '--backend',
          'cpu',
          '-q',
          '--out',
          join(work, name),
        ],
        columns ? at(columns) : {},
      );
    const narrow = compare('c80', 80);
    expect(narrow.status, narrow.stderr).toBe(0);
    expect(widest(narrow.stdout)).toBeLessThanOrEqual(80);
    // The short headings, and what the comparison is for: each variant's ratios and verdict.
    expect(narrow.stdout).toMatch(/│ variant +│ ratio, step 1 │ ratio, end │ verdict │/);
    expect(narrow.stdout).toMatch(/│ batchnorm +│ +\S+ │ +\S+ │ (healthy|vanishing|exploding)/);
    const wide = compare('c120', 120);
    expect(widest(wide.stdout)).toBeLessThanOrEqual(120);
    expect(wide.stdout).toMatch(
      /first\/last layer, step 1 │ at the end │ verdict │ final loss │ accuracy │ +time │/,
    );
    const piped = compare('piped');
    expect(piped.stdout).toContain('first/last layer, step 1');
    expect(widest(piped.stdout)).toBeGreaterThan(80);
  });

  it('backends: fits at 80 and 120; each fix printed whole, never cut in a cell', () => {
    const probes = JSON.parse(gradlab(['backends', '--json']).stdout) as {
      probe: { available: boolean; hint?: string };
    }[];
    for (const columns of [80, 120]) {
      const r = gradlab(['backends'], at(columns));
      expect(r.status, r.stderr).toBe(0);
      expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
      expect(r.stdout).not.toContain('…');
      const words = new Set(r.stdout.split(/\s+/));
      for (const p of probes.filter((p) => !p.probe.available)) {
        for (const word of (p.probe.hint ?? '').split(/\s+/)) expect(words).toContain(word);
      }
    }
    expect(widest(gradlab(['backends', '--wide'], at(80)).stdout)).toBeGreaterThan(80);
  });

  it('presets and mitigations: fit at 80 and 120; --wide or piped, the full width', () => {
    for (const command of ['presets', 'mitigations']) {
      for (const columns of [80, 120]) {
        const r = gradlab([command], at(columns));
        expect(r.status, r.stderr).toBe(0);
        expect(widest(r.stdout), `${command} at ${columns}`).toBeLessThanOrEqual(columns);
      }
      expect(widest(gradlab([command]).stdout)).toBeGreaterThan(120);
      expect(widest(gradlab([command, '--wide'], at(80)).stdout)).toBeGreaterThan(120);
    }
  });

  it('mitigations lists sigmoid as the baseline it is, not as a cure for exploding gradients', () => {
    const row = gradlab(['mitigations'])
      .stdout.split('\n')
      .find((l) => l.startsWith('│ sigmoid '));
    expect(row).toMatch(/│ sigmoid +│ activation +│ neither +│/);
  });

  it('every --help keeps within 80 columns', () => {
    const commands = [
      [],
      ...[
        'run',
        'compare',
        'sweep',
        'worker',
        'report',
        'mitigations',
        'backends',
        'presets',
        'verify',
        'bench',
        'theory',
        'schema',
      ].map((c) => [c]),
      ['runs', 'clean'],
    ];
    for (const command of commands) {
      const r = gradlab([...command, '--help']);
      expect(r.status).toBe(0);
      const long = r.stdout.split('\n').filter((l) => [...l].length > 80);
      expect(long, `gradlab ${command.join(' ')} --help`).toEqual([]);
    }
  });
});

describe('did you mean', () => {
  it('a command, a preset, a backend and a mitigation', () => {
    expect(gradlab(['rnu']).stderr).toContain('(Did you mean run?)');
    expect(gradlab(['run', 'tinny']).stderr).toContain('Did you mean "tiny"?');
    expect(gradlab(['run', 'tiny', '--backend', 'wsam']).stderr).toContain('Did you mean "wasm"?');
    const mitigation = gradlab(['compare', 'tiny', '--with', 'rleu', '--out', join(work, 'typo')]);
    expect(mitigation.status).toBe(2);
    expect(mitigation.stderr).toContain('Did you mean "relu"?');
  });

  it('bench --backends, and the old --backend kept working', () => {
    for (const option of ['--backends', '--backend']) {
      const r = gradlab([
        'bench',
        option,
        ...'cpu --preset tiny --rounds 1 --steps 1 -q'.split(' '),
      ]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/│ cpu +│ bare +│/);
      expect(r.stdout).not.toMatch(/│ wasm /);
    }
    expect(gradlab(['bench', '--help']).stdout).not.toContain('--backend ');
  });
});
