import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { CONFORMANCE_TESTS, knownGapProblems, maxRelDiff, relDiff, toleranceFor } from './index.js';

describe('the test ids', () => {
  test('are unique, family/name, and cover every family the kit promises', () => {
    expect(new Set(CONFORMANCE_TESTS).size).toBe(CONFORMANCE_TESTS.length);
    for (const id of CONFORMANCE_TESTS) expect(id).toMatch(/^[a-z]+\/[A-Za-z-]+$/);
    for (const id of [
      'adapter/spec',
      'adapter/probe',
      'adapter/activate',
      'adapter/release',
      'gradient/matMul',
      'gradient/matMul-stock',
      'gradient/gelu',
      'gradient/batchnorm',
      'gradient/gather',
      'kernel/matMul',
      'kernel/matMul-broadcast',
      'kernel/fused-matMul',
      'kernel/gather',
      'kernel/gather-out-of-range',
      'kernel/identity-cast',
      'kernel/norms',
      'kernel/dense',
      'model/mlp',
      'model/residual',
      'model/lstm',
      'model/gru',
      'training/mitigations',
      'numerics/norm-range',
      'determinism/seed',
      'memory/no-leak',
      'readback/async-only',
      'probe/unavailable',
    ]) {
      expect(CONFORMANCE_TESTS).toContain(id);
    }
    expect(Object.isFrozen(CONFORMANCE_TESTS)).toBe(true);
  });

  test('knownGapProblems: unknown ids, repeats and missing reasons', () => {
    expect(knownGapProblems([{ test: 'gradient/elu', reason: 'x' }])).toEqual([]);
    expect(
      knownGapProblems([
        { test: 'gradient/nope', reason: 'x' },
        { test: 'model/lstm', reason: 'y' },
        { test: 'model/lstm', reason: 'z' },
        { test: 'model/gru', reason: ' ' },
      ]),
    ).toEqual([
      "'gradient/nope' is not a conformance test (see CONFORMANCE_TESTS)",
      "'model/lstm' is listed twice",
      "'model/gru' has no reason",
    ]);
  });
});

describe('comparisons', () => {
  test('the tolerance follows the float precision', () => {
    expect(toleranceFor({ floatPrecision: 32 })).toBe(1e-4);
    expect(toleranceFor({ floatPrecision: 16 })).toBe(5e-2);
  });

  test('relDiff is relative to the larger magnitude', () => {
    expect(relDiff(1, 1)).toBe(0);
    expect(relDiff(0, 0)).toBe(0);
    expect(relDiff(100, 101)).toBeCloseTo(1 / 101, 12);
    expect(relDiff(Number.NaN, Number.NaN)).toBe(0);
    expect(relDiff(1, Number.NaN)).toBe(Number.POSITIVE_INFINITY);
    expect(relDiff(Number.POSITIVE_INFINITY, 1)).toBe(Number.POSITIVE_INFINITY);
  });

  test('maxRelDiff judges every entry at the scale of the largest', () => {
    // A tiny entry off by 100% is 1e-6 of the tensor's scale.
    expect(maxRelDiff([10, 2e-6], [10, 1e-6]).diff).toBeCloseTo(1e-7, 12);
    expect(maxRelDiff([1, 2, 3.3], [1, 2, 3])).toMatchObject({ index: 2, scale: 3 });
    expect(maxRelDiff([0, 1e-9], [0, 0]).diff).toBe(1e-9);
    expect(maxRelDiff([1], [1, 2]).diff).toBe(Number.POSITIVE_INFINITY);
    expect(maxRelDiff([Number.NaN], [1]).diff).toBe(Number.POSITIVE_INFINITY);
  });
});

interface AssertionResult {
  readonly title: string;
  readonly ancestorTitles: readonly string[];
  readonly status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  readonly failureMessages: readonly string[];
}

/**
 * The kit's own behaviour, end to end: src/self-test/*.fixture.ts register suites on fake
 * backends (a broken ELU gradient, noisy sums, a kernel that reads back synchronously, missing
 * devices), run by a separate vitest whose JSON report says what passed, failed and skipped.
 */
describe('the kit on fake backends', () => {
  const results = new Map<string, AssertionResult[]>();

  beforeAll(async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const out = mkdtempSync(join(tmpdir(), 'gradlab-testkit-'));
    const report = join(out, 'report.json');
    const vitest = join(
      dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
      'vitest.mjs',
    );
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST'),
    );
    try {
      const { code, output } = await new Promise<{ code: number | null; output: string }>(
        (resolve, reject) => {
          const child = spawn(
            process.execPath,
            [vitest, 'run', '--config', join(here, 'self-test', 'vitest.config.ts')],
            { cwd: join(here, '..'), env: { ...env, GRADLAB_TESTKIT_SELF_TEST_OUT: report } },
          );
          let output = '';
          child.stdout.on('data', (d) => {
            output += d;
          });
          child.stderr.on('data', (d) => {
            output += d;
          });
          child.on('error', reject);
          child.on('close', (c) => resolve({ code: c, output }));
        },
      );
      let parsed: { testResults: { name: string; assertionResults: AssertionResult[] }[] };
      try {
        parsed = JSON.parse(readFileSync(report, 'utf8'));
      } catch {
        throw new Error(`the self-test run (exit ${code}) wrote no report:\n${output}`);
      }
      for (const file of parsed.testResults) {
        results.set(file.name.split('/').at(-1) as string, file.assertionResults);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 240_000);

  /** Status and first failure line of each test of a fixture, by title. */
  const outcomes = (fixture: string) => {
    const tests = results.get(`${fixture}.fixture.ts`);
    if (!tests) throw new Error(`no results for ${fixture} (have: ${[...results.keys()]})`);
    return tests;
  };
  const find = (fixture: string, prefix: string, suite?: string) => {
    const t = outcomes(fixture).find(
      (r) =>
        (r.title === prefix || r.title.startsWith(`${prefix} `)) &&
        (!suite || r.ancestorTitles.includes(suite)),
    );
    if (!t) throw new Error(`${fixture}: no test "${prefix}"`);
    return t;
  };

  test('a listed gap that fails passes, named with its reason; every other test passes', () => {
    const tests = outcomes('gap-expected');
    expect(tests.map((t) => t.title.split(' ')[0])).toEqual([...CONFORMANCE_TESTS]);
    expect(tests.filter((t) => t.status !== 'passed').map((t) => t.title)).toEqual([]);
    expect(find('gap-expected', 'gradient/elu').title).toBe(
      'gradient/elu (known gap: EluGrad is broken on purpose: it returns dy unchanged)',
    );
    expect(tests[0]?.ancestorTitles).toEqual(['conformance: broken-elu']);
  });

  test('a listed gap that passes fails: "remove it from knownGaps"', () => {
    const elu = find('gap-now-passes', 'gradient/elu');
    expect(elu.status).toBe('failed');
    expect(elu.failureMessages[0]).toContain(
      "known gap 'gradient/elu' now passes: remove it from knownGaps",
    );
    expect(find('gap-now-passes', 'gradient/tanh').status).toBe('passed');
  });

  test('an unlisted broken gradient fails with the values that disagree', () => {
    const elu = find('gap-unlisted', 'gradient/elu');
    expect(elu.title).toBe('gradient/elu'); // options.knownGaps [] overrides the adapter's
    expect(elu.status).toBe('failed');
    expect(elu.failureMessages[0]).toMatch(
      /gradient\/elu: \d+ value\(s\) disagree beyond the relative tolerance 1e-5:/,
    );
    expect(elu.failureMessages[0]).toContain('gradient wrt input 0');
    expect(find('gap-unlisted', 'gradient/selu').status).toBe('passed');
  });

  test('a known gap that names no test fails the suite', () => {
    const invalid = find('gap-unknown', 'knownGaps');
    expect(invalid.status).toBe('failed');
    expect(invalid.failureMessages[0]).toContain("'gradient/no-such-op' is not a conformance test");
    expect(find('gap-unknown', 'adapter/spec').status).toBe('passed');
  });

  test('an unavailable backend: every test skipped with the reason, probe/unavailable runs', () => {
    const tests = outcomes('unavailable').filter((t) => t.ancestorTitles[0] !== 'self-test');
    expect(tests).toHaveLength(CONFORMANCE_TESTS.length);
    for (const t of tests) {
      if (t.title === 'probe/unavailable') expect(t.status).toBe('passed');
      else {
        expect(t.status).toBe('skipped');
        expect(t.title).toContain(
          '(skipped: missing-device is unavailable here: no such device in this self-test)',
        );
      }
    }
    expect(find('unavailable', 'printed the reason and the hint once').status).toBe('passed');
  });

  test('a probe that throws: skipped, but adapter/probe fails', () => {
    const probe = find('probe-throws', 'adapter/probe');
    expect(probe.status).toBe('failed');
    expect(probe.failureMessages[0]).toContain('probe() threw');
    expect(find('probe-throws', 'adapter/activate').status).toBe('skipped');
    expect(find('probe-throws', 'probe/unavailable').status).toBe('passed');
  });

  test('a kernel broken as a native backend could break it fails its kernel test only', () => {
    const cases = [
      ['batch-stride', 'kernel/matMul', 'kernel/gather', 'matMul [3,5,7] @ [3,7,3]: value'],
      ['fixed-alpha', 'kernel/fused-matMul', 'kernel/matMul', 'leakyrelu alpha 0.05: value'],
      [
        'unchecked-gather',
        'kernel/gather-out-of-range',
        'kernel/gather',
        '(index N): does not throw on unchecked-gather',
      ],
      [
        'uncounted-clone',
        'kernel/identity-cast',
        'kernel/matMul-broadcast',
        'a clone, its original disposed of float32 [3,5] on uncounted-clone: cannot be read',
      ],
      ['naive-norms', 'kernel/norms', 'kernel/cast-to-bool', 'l2Norms: 0 on naive-norms'],
      [
        'dense-grad-alpha',
        'kernel/dense',
        'kernel/gather-batch-dims',
        'dense leaky-relu alpha 0.05: [5, 7] @ [7, 3] + [3]: gradient wrt input 0',
      ],
    ] as const;
    for (const [backend, broken, control, text] of cases) {
      const suite = `conformance: ${backend}`;
      const failed = find('broken-kernels', broken, suite);
      expect(failed.status, `${backend}: ${broken}`).toBe('failed');
      expect(failed.failureMessages[0], `${backend}: ${broken}`).toContain(text);
      expect(find('broken-kernels', control, suite).status, `${backend}: ${control}`).toBe(
        'passed',
      );
    }
    // Only the leaky-relu cases with another slope than tfjs's default fail.
    const alpha = find('broken-kernels', 'kernel/dense', 'conformance: dense-grad-alpha');
    expect(alpha.failureMessages[0]).not.toContain('dense relu');
    expect(alpha.failureMessages[0]).not.toContain('alpha 0.2:');
  });

  test('noisy reductions fail determinism/seed; a synchronous read-back fails readback', () => {
    const noisy = find('misbehaving', 'determinism/seed', 'conformance: noisy-sum');
    expect(noisy.status).toBe('failed');
    expect(noisy.failureMessages[0]).toContain('two runs from the same seed differ');
    const sync = find('misbehaving', 'readback/async-only', 'conformance: sync-sqrt');
    expect(sync.status).toBe('failed');
    expect(sync.failureMessages[0]).toContain('dataSync() was called on a sync-sqrt tensor');
    expect(find('misbehaving', 'adapter/activate', 'conformance: sync-sqrt').status).toBe('passed');
  });
});
