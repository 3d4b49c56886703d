import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPresets, studies } from '@gradlab/experiments';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PresetsJsonOutput } from './commands/presets.js';
import { RunJsonOutputSchema } from './json-output.js';
import { bin, gradlab } from './test-cli.js';

const tinySpec = {
  gradlab: 1,
  name: 'e2e',
  seed: 3,
  data: { kind: 'teacher', task: 'classification', inputSize: 6, outputSize: 3, samples: 128 },
  model: { kind: 'mlp', depth: 4, width: 8, activation: 'tanh', init: 'xavier-uniform' },
  training: { steps: 6, batchSize: 16, optimizer: { kind: 'sgd', lr: 0.1 } },
  diagnostics: { every: 2 },
};

let work: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (pnpm build)`);
  work = mkdtempSync(join(tmpdir(), 'gradlab-cli-'));
});

function writeSpec(name: string, content: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('gradlab run', () => {
  it.each(['cpu', 'wasm'])(
    'runs a spec file on %s: table, verdict, and a complete run directory',
    (backend) => {
      const out = join(work, `run-${backend}`);
      const r = gradlab([
        'run',
        writeSpec(`tiny-${backend}.json`, tinySpec),
        '--backend',
        backend,
        '--out',
        out,
      ]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/layer\s.*grad norm\s.*ratio to last/);
      for (const layer of ['dense1', 'dense2', 'dense3', 'output'])
        expect(r.stdout).toContain(layer);
      expect(r.stdout).toMatch(/verdict: (healthy|vanishing|exploding|non-finite)/);
      expect(r.stdout).toContain(`run written to ${out}`);
      expect(r.stderr).toContain(`on ${backend}`);
      expect(readdirSync(out).sort()).toEqual([
        'metrics.jsonl',
        'report.html',
        'run.json',
        'spec.json',
      ]);
      const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
      expect(run.status).toBe('complete');
      expect(run.backend.name).toBe(backend);
      expect(run.result.stepsCompleted).toBe(6);
      const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(6);
      expect(JSON.parse(lines[0] as string).layers).toHaveLength(4);
      expect(JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8')).name).toBe('e2e');
    },
  );

  it('--steps and --seed override the spec; --json prints the result', () => {
    const out = join(work, 'json');
    const r = gradlab([
      'run',
      writeSpec('j.json', tinySpec),
      '--backend',
      'cpu',
      '--steps',
      '3',
      '--seed',
      '9',
      '--json',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.result.stepsCompleted).toBe(3);
    expect(parsed.record).toBe(out);
    expect(JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8'))).toMatchObject({
      seed: 9,
      training: { steps: 3 },
    });
  });

  it('an adding-problem run shows its final MSE beside the predict-the-mean baseline', () => {
    const args = ['run', 'rnn-adding', '--backend', 'wasm', '--steps', '3'];
    const text = gradlab([...args, '--out', join(work, 'adding-text')]);
    expect(text.status, text.stderr).toBe(0);
    const line = text.stdout.match(
      /evaluation \(inference mode, 1024 examples\): final MSE (\S+) \(predict-the-mean baseline 0\.167, (\S+)% of it\)/,
    );
    expect(line, text.stdout).not.toBeNull();
    const json = gradlab([...args, '--json', '--out', join(work, 'adding-json')]);
    expect(json.status, json.stderr).toBe(0);
    const parsed = RunJsonOutputSchema.parse(JSON.parse(json.stdout));
    const evaluation = parsed.result.evaluation;
    expect(evaluation?.baseline).toBeCloseTo(1 / 6, 12);
    // The same run twice (same seed, same backend): the line shows the JSON's numbers.
    const mse = evaluation?.loss as number;
    // Three significant digits; whole percents from 10% up.
    expect(Math.abs(Number(line?.[1]) - mse)).toBeLessThanOrEqual(5e-3 * mse);
    expect(Math.abs(Number(line?.[2]) - 600 * mse)).toBeLessThanOrEqual(0.5);
  });

  it('the same seed gives the same losses on cpu and wasm', () => {
    const losses = ['cpu', 'wasm'].map((b) => {
      const r = gradlab([
        'run',
        writeSpec('same.json', tinySpec),
        '--backend',
        b,
        '--json',
        '--out',
        join(work, `same-${b}`),
      ]);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout).result.loss.last as number;
    });
    expect(
      Math.abs((losses[0] as number) - (losses[1] as number)) / Math.abs(losses[0] as number),
    ).toBeLessThan(1e-4);
  });

  it('the bad twin of the reference workload shows the vanishing gradient', () => {
    // The reference-sigmoid preset, shortened: the verdict is decided on the first step.
    const r = gradlab([
      'run',
      'reference-sigmoid',
      '--backend',
      'wasm',
      '--steps',
      '2',
      '--out',
      join(work, 'sigmoid'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/dense1\s.*vanishing/);
    expect(r.stdout).toMatch(/output\s.*healthy/);
    expect(r.stdout).toContain('verdict: vanishing');
    expect(r.stdout).toContain('first vanishing: step 1, dense1');
    // Scale-safe norms: dense1's gradient (about 3e-27) is a measurement, not an underflowed 0.
    expect(r.stdout).toMatch(/│ dense1 +│ +\d\.\d\de-2\d │/);
    expect(r.stdout).toContain('evidence: weight gradient of dense1');
    expect(r.stdout).toContain('evidence: backward signal ||dL/dh||');
  });

  it('reports pre-training, clipping and the inference-mode evaluation of a mitigated spec', () => {
    const spec = {
      ...tinySpec,
      training: {
        ...tinySpec.training,
        clip: { kind: 'global-norm', maxNorm: 0.01 },
        schedule: { kind: 'cosine', warmupSteps: 2 },
        pretraining: { stepsPerLayer: 5, lr: 0.01 },
      },
    };
    const out = join(work, 'mitigated');
    const r = gradlab([
      'run',
      writeSpec('mitigated.json', spec),
      '--backend',
      'wasm',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    for (const layer of ['dense1', 'dense2', 'dense3']) {
      expect(r.stdout).toMatch(
        new RegExp(`pre-trained ${layer}: reconstruction loss \\S+ -> \\S+ in 5 steps`),
      );
    }
    expect(r.stdout).toMatch(
      /clipping at the last full step: global norm \S+ -> 1\.00e-2 \(clipped\)/,
    );
    expect(r.stdout).toMatch(
      /evaluation \(inference mode, 128 examples\): loss \S+, accuracy \d+\.\d%/,
    );
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.result.pretraining).toHaveLength(3);
    // The record keeps both phases: pre-training steps per layer, then the training steps.
    const pretrain = readFileSync(join(out, 'pretrain.jsonl'), 'utf8').trim().split('\n');
    expect(pretrain).toHaveLength(15);
    expect(JSON.parse(pretrain[14] as string)).toMatchObject({
      phase: 'pretrain',
      layer: 'dense3',
      step: 5,
    });
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].telemetry.lr).toBeCloseTo(0.05, 6); // warm-up: lr * 1/2 on step 1
    expect(lines[0].telemetry['clip.clipped']).toBe(1);
  });

  it('--quiet prints only the verdict and the run directory', () => {
    const out = join(work, 'quiet');
    const r = gradlab([
      'run',
      writeSpec('quiet.json', tinySpec),
      '--backend',
      'cpu',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^verdict: \w+/),
      `run written to ${out}`,
    ]);
    expect(r.stderr).toBe('');
  });

  it('--help shows examples and the exit codes', () => {
    const run = gradlab(['run', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('$ gradlab run reference');
    const top = gradlab(['--help']);
    expect(top.stdout).toMatch(/Exit codes: 0 done.*\n?.*2 bad input/s);
  });

  it('Ctrl-C cancels between steps and still writes the record, marked cancelled', async () => {
    const out = join(work, 'cancelled');
    const child = spawn(
      process.execPath,
      [bin, 'run', 'reference', '--backend', 'wasm', '--steps', '500', '--out', out],
      {
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('step 1/500')) resolve();
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.status).toBe('cancelled');
    expect(run.result.stepsCompleted).toBeGreaterThan(0);
    expect(run.result.stepsCompleted).toBeLessThan(500);
  });
});

describe('bad input: exit code 2, a message naming the problem, nothing written', () => {
  function expectRejected(args: string[], message: RegExp, opts: { nodeArgs?: string[] } = {}) {
    const cwd = mkdtempSync(join(tmpdir(), 'gradlab-bad-'));
    const r = gradlab(args, { cwd, ...opts });
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]); // no runs/ directory, no staging directory
  }

  it('unknown preset', () =>
    expectRejected(
      ['run', 'no-such-preset'],
      /no preset named "no-such-preset".*Known presets: reference/,
    ));
  it('missing spec file', () =>
    expectRejected(
      ['run', join(work, 'missing.json')],
      /cannot read spec file .*missing\.json.*ENOENT/,
    ));
  it('malformed JSON', () =>
    expectRejected(
      ['run', writeSpec('broken.json', '{"gradlab": 1,')],
      /broken\.json is not valid JSON/,
    ));
  it('a spec field out of range names the field, the value and what is allowed', () =>
    expectRejected(
      ['run', writeSpec('deep0.json', { ...tinySpec, model: { ...tinySpec.model, depth: 0 } })],
      /model\.depth: .*>=\s*1.*got 0/,
    ));
  it('an unknown activation lists the allowed ones', () =>
    expectRejected(
      [
        'run',
        writeSpec('act.json', { ...tinySpec, model: { ...tinySpec.model, activation: 'swish' } }),
      ],
      /model\.activation.*relu.*got "swish"/s,
    ));
  it('a bad option value', () =>
    expectRejected(['run', 'tiny', '--steps', '0'], /--steps.*integer from 1/));
  it('an unknown backend lists the known ones', () =>
    expectRejected(['run', 'tiny', '--backend', 'tpu'], /unknown backend "tpu".*cpu/));
  it('an unavailable backend says why and what to do', () =>
    // --jitless disables WebAssembly in Node, so the wasm backend is unavailable.
    expectRejected(
      ['run', 'tiny', '--backend', 'wasm'],
      /backend "wasm" is not available here: WebAssembly is not available.*To fix:/,
      { nodeArgs: ['--jitless'] },
    ));

  it('an existing run directory is never overwritten', () => {
    const out = join(work, 'taken');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const r = gradlab(['run', 'tiny', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/already exists and is not empty/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});

describe('gradlab backends, presets, schema', () => {
  it('backends lists every known backend with its availability', () => {
    const r = gradlab(['backends', '--json']);
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as {
      name: string;
      probe: { available: boolean; reason?: string };
    }[];
    const byName = new Map(list.map((b) => [b.name, b.probe]));
    expect(byName.get('wasm')?.available).toBe(true);
    expect(byName.get('cpu')?.available).toBe(true);
    // tfjs-node-gpu cannot be installed here: cuda is listed, with the reason.
    expect(byName.get('cuda')?.available).toBe(false);
    expect(byName.get('cuda')?.reason).toMatch(/tfjs-node-gpu is not installed/);
  });

  it('backends explains an unavailable backend', () => {
    const r = gradlab(['backends'], { nodeArgs: ['--jitless'] });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wasm\s.*no\s.*WebAssembly is not available/);
  });

  it('presets lists the reference workload and its bad twin; one preset prints as a runnable spec', () => {
    const list = gradlab(['presets']);
    expect(list.stdout).toContain('reference');
    expect(list.stdout).toContain('reference-sigmoid');
    const one = gradlab(['presets', 'tiny']);
    expect(one.status).toBe(0);
    const path = writeSpec('from-preset.json', one.stdout);
    const r = gradlab([
      'run',
      path,
      '--backend',
      'cpu',
      '--steps',
      '2',
      '--json',
      '--out',
      join(work, 'from-preset'),
    ]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('presets --json: the whole catalogue, presets with their specs and studies with their checks', () => {
    const r = gradlab(['presets', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as PresetsJsonOutput;
    expect(Object.keys(out)).toEqual(['presets', 'studies']);
    expect(out.presets.map((p) => p.name)).toEqual(listPresets().map((p) => p.name));
    const tiny = out.presets.find((p) => p.name === 'tiny');
    // The spec as `gradlab presets tiny` prints it: validated, with every default filled in.
    expect(tiny?.spec).toEqual(JSON.parse(gradlab(['presets', 'tiny']).stdout));
    expect(out.studies.map((s) => s.name)).toEqual(studies.map((s) => s.name));
    const he = out.studies.find((s) => s.name === 'he-init');
    // The same as `gradlab presets he-init --json`.
    expect(he).toEqual(JSON.parse(gradlab(['presets', 'he-init', '--json']).stdout));
    expect(he?.checks.map((c) => c.id)).toContain('xavier-signal-halves');
    expect(he?.settings.fast).toMatchObject({ depth: 30 });
  });

  it('schema prints the JSON Schema of specs', () => {
    const r = gradlab(['schema']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).properties).toHaveProperty('model');
  });

  it('schema --json-of run prints the JSON Schema of `run --json` output', () => {
    const r = gradlab(['schema', '--json-of', 'run']);
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: object; additionalProperties: unknown };
    expect(Object.keys(schema.properties).sort()).toEqual(['backend', 'record', 'result']);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('gradlab run --json output', () => {
  it('matches the strict output schema: an added or renamed field fails here', () => {
    const out = join(work, 'json-schema');
    const r = gradlab(['run', 'tiny', '--backend', 'cpu', '--json', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const parsed = RunJsonOutputSchema.safeParse(JSON.parse(r.stdout));
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.record).toBe(out);
    expect(parsed.data?.result.final?.layers.length).toBeGreaterThan(0);
  });

  it('a run that blows up still matches it: NaN and Infinity come out as null', () => {
    const out = join(work, 'json-nonfinite');
    const r = gradlab(['run', 'exploding-linear', '--backend', 'cpu', '--json', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const parsed = RunJsonOutputSchema.safeParse(JSON.parse(r.stdout));
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.result.verdict).toBe('non-finite');
    expect(parsed.data?.result.loss.last).toBeNull();
  });
});

describe('tables fit the width of the output', () => {
  const fits = (stdout: string, width: number) =>
    expect(stdout.split('\n').filter((l) => [...l].length > width)).toEqual([]);

  it('run: with COLUMNS=80 a compact per-layer table with the essential columns', () => {
    const r = gradlab(['run', 'tiny', '--backend', 'cpu', '--out', join(work, 'narrow')], {
      env: { COLUMNS: '80' },
    });
    expect(r.status, r.stderr).toBe(0);
    fits(r.stdout, 80);
    expect(r.stdout).toMatch(/│ layer\s+│ grad norm │ ratio to last │.*│ verdict │/);
    expect(r.stdout).not.toContain('act std');
    for (const layer of ['dense1', 'dense2', 'dense3', 'output'])
      expect(r.stdout).toMatch(
        new RegExp(`│ ${layer} .*│ (healthy|vanishing|exploding|non-finite) `),
      );
  });

  it('run: piped without COLUMNS prints the full table', () => {
    const r = gradlab(['run', 'tiny', '--backend', 'cpu', '--out', join(work, 'wide')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /layer\s.*grad norm\s.*ratio to last\s.*grad\/weight\s.*update\/weight\s.*act std\s.*saturated\s.*dead\s.*verdict/,
    );
    expect(Math.max(...r.stdout.split('\n').map((l) => [...l].length))).toBeGreaterThan(100);
  });

  it('backends and presets: with COLUMNS=80 every line fits; piped, the full width', () => {
    for (const command of ['backends', 'presets']) {
      const narrow = gradlab([command], { env: { COLUMNS: '80' } });
      expect(narrow.status).toBe(0);
      fits(narrow.stdout, 80);
      const wide = gradlab([command]);
      expect(Math.max(...wide.stdout.split('\n').map((l) => [...l].length))).toBeGreaterThan(100);
    }
    const backends = gradlab(['backends'], { env: { COLUMNS: '80' } }).stdout;
    expect(backends).toMatch(/│ backend\s+│ priority │ available │ details\s+│/);
    expect(backends).toMatch(/│ cpu\s+│ 10\s+│ yes/);
    const presets = gradlab(['presets'], { env: { COLUMNS: '80' } }).stdout;
    expect(presets).toMatch(/│ preset\s+│ what it shows\s+│/);
    expect(presets).toContain('reference-sigmoid');
  });
});

describe('gradlab bench', () => {
  it('times the named backend only: no other backend is probed, so Dawn prints nothing', () => {
    const r = gradlab([
      'bench',
      '--backend',
      'wasm',
      '--preset',
      'tiny',
      '--rounds',
      '1',
      '--steps',
      '1',
      '--quiet',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/│ wasm +│ bare +│/);
    expect(r.stdout).toMatch(/│ wasm +│ norms +│/);
    expect(r.stderr).not.toMatch(/warning/i);
  });
});
