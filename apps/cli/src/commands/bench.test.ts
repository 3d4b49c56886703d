import { existsSync } from 'node:fs';
import { presetSpec } from '@gradlab/experiments';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { integerIn } from '../options.js';
import { benchSpec } from './bench.js';
import { findTorchPython, PYTORCH_SCRIPT, pytorchWorkload } from './pytorch.js';

describe('bench options', () => {
  it('--depth, --width, --batch override the preset, and nothing else', () => {
    const base = presetSpec('reference');
    const spec = benchSpec('reference', { depth: 5, width: 64, batch: 512 });
    expect(spec.model).toMatchObject({ kind: 'mlp', depth: 5, width: 64 });
    expect(spec.training.batchSize).toBe(512);
    expect({ ...spec, model: base.model, training: base.training }).toEqual(base);
    expect(benchSpec('reference', {})).toEqual(base);
    expect(benchSpec('reference', { width: 1024 }).model).toMatchObject({ depth: 20, width: 1024 });
  });

  it('--depth and --width on a recurrent preset name the option, the value and the preset', () => {
    expect(() => benchSpec('rnn-adding', { depth: 3 })).toThrow(
      /--depth 3: --depth applies to MLP presets only \(such as reference\); preset "rnn-adding" has a rnn model/,
    );
    expect(() => benchSpec('rnn-adding', { width: 8 })).toThrow(/--width 8: --width applies/);
    expect(benchSpec('rnn-adding', { batch: 4 }).training.batchSize).toBe(4);
  });

  it('the ranges commander enforces (main.ts) reject out-of-range and non-integer values', () => {
    // The parsers main.ts gives --depth, --width, --batch and --threads.
    for (const [parse, bad, good] of [
      [integerIn(1, 1000), ['0', '1001', '2.5', 'abc', ''], ['1', '40', '1000']],
      [integerIn(1, 8192), ['0', '8193', '-64'], ['64', '1024']],
      [integerIn(1, 65_536), ['0', '65537', '1e3'], ['16', '512']],
      [integerIn(1, 1024), ['0', 'all'], ['1', '2']],
    ] as const) {
      for (const v of bad) expect(() => parse(v), v).toThrow(InvalidArgumentError);
      for (const v of good) expect(parse(v)).toBe(Number(v));
    }
    expect(() => integerIn(1, 8192)('0')).toThrow('expected an integer from 1 to 8192.');
  });
});

describe('bench --vs pytorch: the workload handed to the script', () => {
  it('the reference preset, scaled: MNIST sizes, the batch, the learning rate', async () => {
    const w = await pytorchWorkload(
      benchSpec('reference', { depth: 3, width: 32, batch: 16 }),
      'reference',
    );
    expect(w).toEqual({
      depth: 3,
      width: 32,
      input: 784,
      output: 10,
      batch: 16,
      samples: 10_000,
      lr: 0.01,
    });
  });

  it('a preset the script does not train is refused, with every difference', async () => {
    await expect(
      pytorchWorkload(presetSpec('reference-sigmoid'), 'reference-sigmoid'),
    ).rejects.toThrow(
      /preset "reference-sigmoid" differs: model\.activation is "sigmoid", model\.init is .*Use --preset reference/,
    );
  });

  it('the script is where the built command looks for it (the package ships bench/)', () => {
    expect(existsSync(PYTORCH_SCRIPT)).toBe(true);
    expect(PYTORCH_SCRIPT).toMatch(/apps[/\\]cli[/\\]bench[/\\]pytorch_reference\.py$/);
  });

  it('GRADLAB_PYTHON is the only python tried when set, and a missing one is said so', () => {
    const r = findTorchPython({ ...process.env, GRADLAB_PYTHON: '/nonexistent/python3' });
    expect(r).toEqual({
      ok: false,
      reason: 'no Python with PyTorch found (GRADLAB_PYTHON): /nonexistent/python3: not found',
    });
  });
});
