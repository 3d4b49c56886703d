import { describe, expect, it } from 'vitest';
import type { BenchJsonOutput } from './commands/bench.js';
import { findTorchPython } from './commands/pytorch.js';
import { gradlab } from './test-cli.js';

/**
 * `gradlab bench --vs pytorch` end to end, through the built command, on a small workload. No
 * test asserts a timing: only that every number is there, positive and finite.
 */
const SMALL = [
  '--backends',
  'wasm',
  '--steps',
  '2',
  '--rounds',
  '1',
  '--width',
  '32',
  '--depth',
  '3',
  '--batch',
  '16',
];
const torch = findTorchPython();
if (!torch.ok) {
  console.warn(
    `bench.test.ts: skipping the --vs pytorch test with PyTorch: ${torch.reason} (CI installs it: apt-get install -y python3-torch libopenblas0-pthread)`,
  );
}

const positive = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;

function json(args: readonly string[], env?: NodeJS.ProcessEnv) {
  const r = gradlab(['bench', ...args, '--json'], { env });
  expect(r.status, r.stderr).toBe(0);
  return { out: JSON.parse(r.stdout) as BenchJsonOutput, stderr: r.stderr };
}

describe('gradlab bench --vs pytorch', () => {
  it.skipIf(!torch.ok)('times PyTorch on the same workload and gives each mode its ratio', () => {
    const { out } = json(['--vs', 'pytorch', '--threads', '1', ...SMALL]);
    expect(out).toMatchObject({ threads: 1, workload: { depth: 3, width: 32, batch: 16 } });
    expect(out.pytorch).toMatchObject({
      available: true,
      threads: 1,
      workload: { depth: 3, width: 32, input: 784, output: 10, batch: 16, lr: 0.01 },
    });
    for (const mode of ['bare', 'norms']) {
      const peer = out.rows.find((r) => r.backend === 'pytorch' && r.mode === mode);
      const wasm = out.rows.find((r) => r.backend === 'wasm' && r.mode === mode);
      expect(peer?.samples).toBe(2);
      expect(positive(peer?.msPerStep), `pytorch ${mode}`).toBe(true);
      expect(positive(wasm?.vsPytorch), `wasm ${mode}`).toBe(true);
      expect(wasm?.vsPytorch).toBeCloseTo((wasm?.msPerStep ?? 0) / (peer?.msPerStep ?? 1), 9);
    }
    if (out.pytorch?.available) {
      expect(positive(out.pytorch.ratios.wasm?.bare)).toBe(true);
      expect(positive(out.pytorch.ratios.wasm?.norms)).toBe(true);
    }
    // Diagnostics modes PyTorch does not run have no ratio.
    expect(out.rows.find((r) => r.backend === 'wasm' && r.mode === 'full')?.vsPytorch).toBeNull();
  });

  it('without PyTorch: one line saying how to get it, and gradlab timed alone', () => {
    const { out, stderr } = json(['--vs', 'pytorch', ...SMALL], { GRADLAB_PYTHON: '/nonexistent' });
    const lines = stderr.split('\n').filter((l) => l.includes('pytorch'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /--vs pytorch: no Python with PyTorch found \(GRADLAB_PYTHON\): \/nonexistent: not found\. To get it: apt-get install -y python3-torch libopenblas0-pthread, and run with Debian's \/usr\/bin\/python3/,
    );
    expect(out.pytorch).toMatchObject({ available: false });
    expect(out.rows.map((r) => `${r.backend} ${r.mode}`)).toEqual([
      'wasm bare',
      'wasm norms',
      'wasm default',
      'wasm full',
    ]);
    for (const r of out.rows) {
      expect(positive(r.msPerStep)).toBe(true);
      expect(r.vsPytorch).toBeNull();
    }
  });

  it('the table: a vs PyTorch column, and the thread count and workload in the header', () => {
    const r = gradlab(['bench', ...SMALL, '--threads', '1', '--quiet'], {
      env: { GRADLAB_PYTHON: '/nonexistent' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Preset "reference" at depth 3, width 32, batch 16; 2 timed steps x 1 rounds per mode; 1 thread \(OpenBLAS, PyTorch\)\./,
    );
    expect(r.stdout).not.toContain('vs PyTorch');
    expect(r.stderr).toBe(''); // no --vs: PyTorch is not looked for
  });

  it.skipIf(!torch.ok)('with PyTorch, the table has its rows and a ratio column', () => {
    const r = gradlab(['bench', '--vs', 'pytorch', ...SMALL, '--threads', '1', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /│ backend +│ mode +│ ms\/step \(median\) +│ vs bare +│ vs PyTorch +│/,
    );
    expect(r.stdout).toMatch(/│ wasm +│ norms +│ +[\d.]+ +│ +[-+\d.%]+ +│ +[\d.]+x +│/);
    expect(r.stdout).toMatch(/│ pytorch +│ bare +│/);
    expect(r.stdout).toMatch(/; PyTorch \S+ via \S+\./);
  });
});

describe('gradlab bench: bad options, exit code 2, a message naming the option, value and range', () => {
  it.each([
    [
      ['--width', '0'],
      /option '--width <n>' argument '0' is invalid\. expected an integer from 1 to 8192\./,
    ],
    [
      ['--depth', '1001'],
      /option '--depth <n>' argument '1001' is invalid\. expected an integer from 1 to 1000\./,
    ],
    [
      ['--batch', 'abc'],
      /option '--batch <n>' argument 'abc' is invalid\. expected an integer from 1 to 65536\./,
    ],
    [
      ['--threads', '0'],
      /option '--threads <n>' argument '0' is invalid\. expected an integer from 1 to 1024\./,
    ],
    [
      ['--vs', 'tensorflow'],
      /option '--vs <engine>' argument 'tensorflow' is invalid\. Allowed choices are pytorch\./,
    ],
    [['--preset', 'rnn-adding', '--width', '8'], /--width 8: --width applies to MLP presets only/],
    [
      ['--preset', 'reference-sigmoid', '--vs', 'pytorch'],
      /preset "reference-sigmoid" differs: model\.activation is "sigmoid"/,
    ],
  ])('%j', (args, message) => {
    const r = gradlab(['bench', '--backends', 'wasm', ...args]);
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
