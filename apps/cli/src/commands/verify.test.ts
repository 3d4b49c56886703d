import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBackend } from '@gradlab/backend-cpu';
import { registerBackend, useBackend } from '@gradlab/core';
import type { CheckResult, Study } from '@gradlab/experiments';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { duration, verificationLines } from '../render/verify-lines.js';
import { runDirName, verifyCommand } from './verify.js';

/**
 * The verify command in-process, with small fake studies: every outcome a study can have (pass,
 * fail, throw, cancelled) and what each leaves on disk. The end-to-end tests (verify.test.ts
 * beside main.ts) run real studies through the built command.
 */

const check = (id: string, pass: boolean): CheckResult => ({
  id,
  claim: `${id} holds`,
  pass,
  measured: `m-${id}`,
  expected: `e-${id}`,
});

const spec = (steps: number) => ({
  gradlab: 1 as const,
  seed: 1,
  data: { kind: 'teacher' as const, inputSize: 4, outputSize: 2, samples: 32 },
  model: { kind: 'mlp' as const, depth: 3, width: 6, activation: 'tanh' as const },
  training: { steps, batchSize: 8 },
});

function fake(name: string, over: Partial<Study> = {}): Study {
  return {
    name,
    title: `${name} title`,
    reference: 'Nobody (2024)',
    claim: `${name} claim`,
    settings: { full: { steps: 4 }, fast: { steps: 2 } },
    scaleNote: 'tiny',
    usesBackend: false,
    run: async () => ({ checks: [check('ok', true)], figures: [] }),
    ...over,
  };
}

/** Trains two runs ("a/b" and "a b": one directory name each) and passes. */
const trains = fake('trains', {
  usesBackend: true,
  run: async (ctx, s) => {
    await ctx.train('a/b', spec(s.steps as number));
    await ctx.train('a b', spec(s.steps as number));
    return { checks: [check('trained', true)], figures: [] };
  },
});

let stdout = '';
function capture() {
  stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
}

const out = () => join(mkdtempSync(join(tmpdir(), 'gradlab-verify-unit-')), 'out');
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('verifyCommand', () => {
  beforeAll(async () => {
    registerBackend(cpuBackend);
    await useBackend('cpu');
  });
  afterEach(() => vi.restoreAllMocks());

  it('all: one folder per study with verify.json, report.html and run records; index.html and verify.json on top; exit 1 when a check fails', async () => {
    const dir = out();
    const catalogue = [
      trains,
      fake('fails', { run: async () => ({ checks: [check('x', false)], figures: [] }) }),
      fake('throws', {
        run: async () => {
          throw new Error('broken study');
        },
      }),
    ];
    capture();
    const tensors = tf.memory().numTensors;
    const code = await verifyCommand(
      'all',
      { backend: 'cpu', fast: true, out: dir, quiet: true },
      catalogue,
    );
    expect(code).toBe(1);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(readdirSync(dir).sort()).toEqual([
      'fails',
      'index.html',
      'throws',
      'trains',
      'verify.json',
    ]);
    expect(readdirSync(join(dir, 'trains')).sort()).toEqual([
      'a_b',
      'a_b-2',
      'report.html',
      'verify.json',
    ]);
    for (const run of ['a_b', 'a_b-2']) {
      expect(readdirSync(join(dir, 'trains', run))).toContain('report.html');
      expect(json(join(dir, 'trains', run, 'run.json')).status).toBe('complete');
    }
    const trained = json(join(dir, 'trains', 'verify.json'));
    expect(trained).toMatchObject({
      name: 'trains',
      scale: 'fast',
      settings: { steps: 2 },
      pass: true,
    });
    expect(trained.runs.map((r: { label: string; record: string }) => [r.label, r.record])).toEqual(
      [
        ['a/b', 'a_b'],
        ['a b', 'a_b-2'],
      ],
    );
    expect(json(join(dir, 'throws', 'verify.json'))).toMatchObject({
      status: 'error',
      pass: false,
      error: 'Error: broken study',
    });
    const summary = json(join(dir, 'verify.json'));
    expect(summary).toMatchObject({
      kind: 'verify',
      status: 'complete',
      pass: false,
      passed: 1,
      failed: 2,
    });
    expect(summary.studies.map((s: { name: string }) => s.name)).toEqual([
      'trains',
      'fails',
      'throws',
    ]);
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(index).toContain('1 of 3 studies passed');
    expect(index).toContain('href="./trains/report.html"');
    // What a user reads: one line per check, why a study broke, the tally with the total time.
    expect(stdout).toMatch(/^ {2}PASS {2}trained holds: measured m-trained; expected e-trained$/m);
    expect(stdout).toMatch(/^ {2}FAIL {2}x holds: measured m-x; expected e-x$/m);
    expect(stdout).toMatch(/^ {2}FAIL {2}the study did not finish: Error: broken study$/m);
    expect(stdout).toMatch(
      /^1 of 3 studies passed \(1 of 2 checks\) in \d+\.\d s on cpu, fast scale$/m,
    );
  });

  it('one study: its files at the top of --out; exit 0 when every check passes; --json prints the summary only', async () => {
    const dir = out();
    capture();
    const code = await verifyCommand('trains', { backend: 'cpu', out: dir, json: true }, [trains]);
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['a_b', 'a_b-2', 'report.html', 'verify.json']);
    const printed = JSON.parse(stdout);
    expect(printed).toMatchObject({
      target: 'trains',
      scale: 'full',
      pass: true,
      status: 'complete',
    });
    expect(printed.studies[0].settings).toEqual({ steps: 4 });
    expect(json(join(dir, 'verify.json')).kind).toBe('study-verification');
  });

  it('Ctrl-C: the study in progress is kept, marked cancelled, the rest not run; exit 130', async () => {
    const dir = out();
    const slow = fake('slow', {
      usesBackend: true,
      run: async (ctx) => {
        await ctx.train('first', spec(2));
        process.emit('SIGINT');
        await ctx.train('second', spec(50));
        return { checks: [check('never', true)], figures: [] };
      },
    });
    capture();
    const code = await verifyCommand('all', { backend: 'cpu', out: dir, quiet: true }, [
      slow,
      trains,
    ]);
    expect(code).toBe(130);
    const v = json(join(dir, 'slow', 'verify.json'));
    expect(v.status).toBe('cancelled');
    expect(v.runs.map((r: { status: string }) => r.status)).toEqual(['complete', 'cancelled']);
    expect(json(join(dir, 'slow', 'second', 'run.json')).status).toBe('cancelled');
    expect(json(join(dir, 'verify.json'))).toMatchObject({
      status: 'cancelled',
      pass: false,
      notRun: ['trains'],
    });
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'slow', 'verify.json']);
    expect(stdout).toMatch(/^cancelled: 1 not run; /m);
  });

  it('without --out: runs/<time>-verify-<target> in the working directory, as every command names its own', async () => {
    const cwd = process.cwd();
    const here = mkdtempSync(join(tmpdir(), 'gradlab-verify-default-'));
    capture();
    try {
      process.chdir(here);
      expect(
        await verifyCommand('ok', { backend: 'cpu', fast: true, quiet: true }, [fake('ok')]),
      ).toBe(0);
      expect(
        await verifyCommand('all', { backend: 'cpu', fast: true, quiet: true }, [fake('ok')]),
      ).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    // The timestamp first (20261123-142312), so that runs/ lists every command's output by time.
    const made = readdirSync(join(here, 'runs'));
    expect(made).toHaveLength(2);
    expect(made.filter((d) => /^\d{8}-\d{6}-verify-ok$/.test(d))).toHaveLength(1);
    expect(made.filter((d) => /^\d{8}-\d{6}-verify-all$/.test(d))).toHaveLength(1);
    const one = made.find((d) => d.endsWith('-verify-ok')) as string;
    expect(readdirSync(join(here, 'runs', one)).sort()).toEqual(['report.html', 'verify.json']);
    expect(stdout).toContain(join('runs', one));
  });

  it('bad input is refused before anything is written: unknown study, unknown backend, existing --out', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'gradlab-verify-bad-'));
    const dir = join(parent, 'out');
    await expect(verifyCommand('trainz', { backend: 'cpu', out: dir }, [trains])).rejects.toThrow(
      'there is no study named "trainz". Did you mean "trains"?',
    );
    await expect(verifyCommand('trains', { backend: 'nope', out: dir }, [trains])).rejects.toThrow(
      /unknown backend "nope"/,
    );
    await expect(verifyCommand('all', { backend: 'cpu', out: dir }, [])).rejects.toThrow(
      /catalogue is empty/,
    );
    expect(readdirSync(parent)).toEqual([]);
    const taken = join(parent, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'keep.txt'), 'earlier work');
    await expect(verifyCommand('trains', { backend: 'cpu', out: taken }, [trains])).rejects.toThrow(
      /already exists and is not empty/,
    );
    expect(readdirSync(taken)).toEqual(['keep.txt']);
  });
});

describe('verify output', () => {
  it('directory names of runs: safe, unique, never a file name of the study', () => {
    expect(runDirName('he init, depth 20', new Set())).toBe('he_init__depth_20');
    expect(runDirName('../x', new Set())).toBe('__x');
    expect(runDirName('x', new Set(['x', 'x-2']))).toBe('x-3');
    expect(runDirName('report.html', new Set())).toBe('report.html-2');
    expect(runDirName('', new Set())).toBe('run');
  });

  it('durations in seconds, then minutes', () => {
    expect(duration(3.21)).toBe('3.2 s');
    expect(duration(845.4)).toBe('14 min 05 s');
  });

  it('a cancelled study says so once, without a check line of its own', () => {
    const lines = verificationLines(
      {
        ...(fake('c') as unknown as Record<string, unknown>),
        status: 'cancelled',
        pass: false,
        checks: [],
        seconds: 2,
        error: 'cancelled',
      } as never,
      false,
    );
    expect(lines).toEqual([
      'c: c title',
      '  Nobody (2024)',
      '  => CANCELLED after 2.0 s: what it had done is kept',
    ]);
  });
});
