import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';
import { gradlabOnTerminal, hasScript } from './test-terminal.js';

/**
 * The progress displays, end to end: each command runs on a real (pseudo-)terminal 80 columns
 * wide, where its bar draws, and every line it shows, each redraw of its bar included, must
 * keep within the 80 columns, with what the display is for still in it.
 */
const work = mkdtempSync(join(tmpdir(), 'gradlab-progress-fits-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const columns = (l: string) => [...l].length;
const tooWide = (lines: readonly string[], width = 80) => lines.filter((l) => columns(l) > width);

/** 4 cells of `tiny`, 3 steps each, on cpu, with long axis names and values. */
const sweepFile = join(work, 'sweep.json');
writeFileSync(
  sweepFile,
  JSON.stringify({
    gradlab: 1,
    name: 'widths',
    base: 'tiny',
    grid: {
      'model.depth': [3, 4],
      'model.init': ['he-normal', 'xavier-uniform'],
      'training.steps': [3],
    },
    seeds: [0],
    backends: ['cpu'],
  }),
);

describe.skipIf(!hasScript)('progress on an 80-column terminal', () => {
  it('sweep: each redraw of the bar fits, with the cells done, failures, ETA and a verdict', () => {
    const r = gradlabOnTerminal(
      ['sweep', sweepFile, '--workers', '2', '--out', join(work, 'sweep')],
      80,
    );
    expect(r.status, r.lines.join('\n')).toBe(0);
    expect(tooWide(r.lines)).toEqual([]);
    const frames = r.lines.filter((l) => /\d\/4\b/.test(l) && l.includes('ETA'));
    const last = frames.at(-1) ?? '';
    expect(last).toMatch(/ 4\/4 .*\| 0 failed \| ETA \S+ \| .*: (healthy|vanishing|exploding)/);
  });

  it('verify: the study bar and the result lines fit; name, percentage, ETA and PASS stay', () => {
    const r = gradlabOnTerminal(
      ['verify', 'rosenbrock', '--fast', '--backend', 'cpu', '--out', join(work, 'verify')],
      80,
    );
    expect(r.status, r.lines.join('\n')).toBe(0);
    expect(tooWide(r.lines)).toEqual([]);
    expect(r.lines.some((l) => /\[1\/1\] rosenbrock .*\d+% \| ETA \S+/.test(l))).toBe(true);
    // The wrapped checks keep PASS at the left, and their continuations under the claim.
    expect(r.lines.filter((l) => /^ {2}PASS {2}\S/.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(r.lines.some((l) => /^ {2}=> PASS: 4 of 4 checks passed in /.test(l))).toBe(true);
  });

  it('bench: the bar and the table fit; every backend and mode keeps its ms/step', () => {
    const args = ['bench', '--backends', 'cpu,wasm', '--preset', 'tiny', '--rounds', '1'];
    const r = gradlabOnTerminal([...args, '--steps', '1'], 80);
    expect(r.status, r.lines.join('\n')).toBe(0);
    expect(tooWide(r.lines)).toEqual([]);
    expect(r.lines.some((l) => /8\/8 runs \| ETA \S+ \| wasm round 1\/1 full done/.test(l))).toBe(
      true,
    );
    expect(r.lines).toContain('│ backend │ mode    │ ms/step │ vs bare │');
    for (const backend of ['cpu', 'wasm']) {
      for (const mode of ['bare', 'norms', 'default', 'full']) {
        const row = new RegExp(`^│ ${backend} +│ ${mode} +│ +[\\d.]+ │`);
        expect(
          r.lines.some((l) => row.test(l)),
          `${backend} ${mode}`,
        ).toBe(true);
      }
    }
  });

  it('run: the bar fits and keeps the loss, the verdict and ms/step', () => {
    const r = gradlabOnTerminal(
      ['run', 'tiny', '--backend', 'cpu', '--steps', '20', '--out', join(work, 'run')],
      80,
    );
    expect(r.status, r.lines.join('\n')).toBe(0);
    expect(tooWide(r.lines)).toEqual([]);
    expect(r.lines.some((l) => /20\/20.* \| loss \S+ \| healthy \| \d+ ms\/step$/.test(l))).toBe(
      true,
    );
  });
});

describe('progress in a log (no terminal) with COLUMNS=80', () => {
  it('sweep: one line per cell, each within 80 columns, with its verdict', () => {
    const r = gradlab(['sweep', sweepFile, '--workers', '2', '--out', join(work, 'sweep-log')], {
      env: { COLUMNS: '80' },
    });
    expect(r.status, r.stderr).toBe(0);
    const cells = r.stderr.split('\n').filter((l) => /^\[\d\/4\]/.test(l));
    expect(cells).toHaveLength(4);
    for (const l of cells) expect(l).toMatch(/: (healthy|vanishing|exploding)/);
    expect(tooWide(r.stderr.split('\n'))).toEqual([]);
    expect(tooWide(r.stdout.split('\n'))).toEqual([]);
  });

  it('bench: the table fits; --wide shows every column', () => {
    const args = [
      'bench',
      '--backends',
      'cpu',
      '--preset',
      'tiny',
      '--rounds',
      '1',
      '--steps',
      '1',
    ];
    const narrow = gradlab([...args, '-q'], { env: { COLUMNS: '80' } });
    expect(narrow.status, narrow.stderr).toBe(0);
    expect(tooWide(narrow.stdout.split('\n'))).toEqual([]);
    expect(narrow.stdout).not.toContain('what is measured');
    const wide = gradlab([...args, '-q', '--wide'], { env: { COLUMNS: '80' } });
    expect(wide.stdout).toContain('│ ms/step (median) │ vs bare │ what is measured');
    expect(tooWide(wide.stdout.split('\n'))).not.toEqual([]);
  });
});
