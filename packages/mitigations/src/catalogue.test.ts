import type { ExperimentSpec } from '@gradlab/core';
import { caught } from '@gradlab/testkit/helpers';
import { describe, expect, it } from 'vitest';
import { applyMitigations, findMitigation, listMitigations, parseVariant } from './catalogue.js';
import { categories } from './mitigation.js';
import { deepFreeze, mlpSpec, rnnSpec } from './test-support.js';

const mlp = deepFreeze(mlpSpec({ training: { steps: 100, batchSize: 16 } }));
const rnn = deepFreeze(rnnSpec({ training: { steps: 100, batchSize: 16 } }));
const lstm = deepFreeze(rnnSpec({ training: { steps: 100, batchSize: 16 } }, 'lstm'));

/**
 * Every strategy, the spec it is applied to (with its documentation example's arguments) and
 * what the result must contain. The list is the catalogue: a strategy added without a row here
 * fails the first test.
 */
const expected: Record<string, [ExperimentSpec, Record<string, unknown>]> = {
  sigmoid: [mlp, { model: { activation: 'sigmoid' } }],
  tanh: [rnn, { model: { activation: 'tanh' } }],
  relu: [mlp, { model: { activation: 'relu' } }],
  'leaky-relu': [mlp, { model: { activation: 'leaky-relu', leakyAlpha: 0.1 } }],
  prelu: [mlp, { model: { activation: 'prelu', preluInit: 0.25 } }],
  elu: [mlp, { model: { activation: 'elu' } }],
  selu: [mlp, { model: { activation: 'selu' } }],
  gelu: [mlp, { model: { activation: 'gelu' } }],
  'he-init': [mlp, { model: { init: 'he-normal' } }],
  'he-uniform': [mlp, { model: { init: 'he-uniform' } }],
  'xavier-init': [mlp, { model: { init: 'xavier-normal' } }],
  'xavier-uniform': [rnn, { model: { init: 'xavier-uniform', recurrentInit: 'xavier-uniform' } }],
  'lecun-init': [mlp, { model: { init: 'lecun-normal' } }],
  'orthogonal-init': [mlp, { model: { init: 'orthogonal' } }],
  'identity-init': [rnn, { model: { init: 'xavier-uniform', recurrentInit: 'identity' } }],
  'normal-init': [mlp, { model: { init: { kind: 'normal', std: 0.01 } } }],
  'uniform-init': [mlp, { model: { init: { kind: 'uniform', limit: 0.05 } } }],
  'constant-init': [mlp, { model: { init: { kind: 'constant', value: 0.01 } } }],
  batchnorm: [mlp, { model: { norm: 'batchnorm' } }],
  layernorm: [mlp, { model: { norm: 'layernorm' } }],
  residual: [mlp, { model: { residual: { every: 2 } } }],
  'clip-value': [mlp, { training: { clip: { kind: 'value', limit: 1 } } }],
  'clip-norm': [mlp, { training: { clip: { kind: 'norm', maxNorm: 1 } } }],
  'clip-global-norm': [
    rnn,
    { training: { clip: { kind: 'global-norm', maxNorm: 1, errorIfNonFinite: false } } },
  ],
  lr: [mlp, { training: { optimizer: { kind: 'sgd', lr: 0.001 } } }],
  'step-decay': [
    mlp,
    { training: { schedule: { kind: 'step', every: 100, factor: 0.1, warmupSteps: 0 } } },
  ],
  'exp-decay': [
    mlp,
    { training: { schedule: { kind: 'exponential', rate: 0.99, every: 1, warmupSteps: 0 } } },
  ],
  warmup: [mlp, { training: { schedule: { kind: 'constant', warmupSteps: 10 } } }],
  cosine: [mlp, { training: { schedule: { kind: 'cosine', minLr: 0, warmupSteps: 0 } } }],
  sgd: [rnn, { training: { optimizer: { kind: 'sgd', lr: 0.01 } } }],
  momentum: [mlp, { training: { optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 } } }],
  adam: [mlp, { training: { optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9 } } }],
  l1: [mlp, { training: { regularization: { l1: 0.0001, l2: 0 } } }],
  l2: [rnn, { training: { regularization: { l1: 0, l2: 0.0001 } } }],
  'weight-clip': [mlp, { training: { weightClip: { limit: 0.01 } } }],
  pretrain: [mlp, { training: { pretraining: { stepsPerLayer: 100, lr: 0.01 } } }],
  rnn: [lstm, { model: { kind: 'rnn', hiddenSize: 8 } }],
  lstm: [rnn, { model: { kind: 'lstm', hiddenSize: 8, forgetBias: 1 } }],
  gru: [rnn, { model: { kind: 'gru', hiddenSize: 8 } }],
};

describe('the catalogue', () => {
  it('holds exactly the strategies of the literature this package documents', () => {
    expect(
      listMitigations()
        .map((m) => m.name)
        .sort(),
    ).toEqual(Object.keys(expected).sort());
  });

  it('sigmoid is the baseline, not a cure: it addresses neither problem (it causes vanishing)', () => {
    const sigmoid = findMitigation('sigmoid');
    expect(sigmoid?.addresses).toBe('neither');
    expect(sigmoid?.whenItDoesNotHelp).toContain('VANISHING');
    // Its slope bounds the gradient only while the weights are small.
    expect(sigmoid?.how).not.toMatch(/gradients can(not| not) blow up/);
  });

  it('every strategy is documented: title, problem, how, when it does not help, citation, usage', () => {
    for (const m of listMitigations()) {
      expect(categories).toContain(m.category);
      expect(['vanishing', 'exploding', 'both', 'neither']).toContain(m.addresses);
      for (const text of [m.title, m.problem, m.how, m.whenItDoesNotHelp, m.appliesTo, m.sets]) {
        expect(text.length, m.name).toBeGreaterThan(3);
      }
      expect(m.how.length).toBeGreaterThan(80);
      expect(m.whenItDoesNotHelp.length).toBeGreaterThan(60);
      expect(m.citation, m.name).toMatch(/\(\d{4}\)/);
      expect(m.usage.startsWith(m.name)).toBe(true);
      expect(findMitigation(m.name)).toBe(m);
    }
    expect(findMitigation('nope')).toBeUndefined();
    expect(listMitigations('recurrent-cell').map((m) => m.name)).toEqual(['rnn', 'lstm', 'gru']);
  });

  it('weight-clip says why bounding weights differs from bounding gradients', () => {
    const m = findMitigation('weight-clip');
    expect(m?.how).toMatch(/bounds the WEIGHTS/);
    expect(m?.how).toMatch(/not the same as bounding the GRADIENTS/);
    expect(m?.whenItDoesNotHelp).toMatch(/gradient is not bounded/);
  });

  it('usage shows required and optional arguments', () => {
    const usage = Object.fromEntries(listMitigations().map((m) => [m.name, m.usage]));
    expect(usage).toMatchObject({
      relu: 'relu',
      'leaky-relu': 'leaky-relu[:alpha]',
      residual: 'residual[:every]',
      'clip-global-norm': 'clip-global-norm:maxNorm',
      'step-decay': 'step-decay:every[:factor]',
      cosine: 'cosine[:minLr]',
      momentum: 'momentum[:m]',
      pretrain: 'pretrain[:stepsPerLayer]',
      'normal-init': 'normal-init:std',
    });
  });

  for (const [name, [spec, fields]] of Object.entries(expected)) {
    it(`${name}: apply returns a new spec with its fields set, the input untouched`, () => {
      const m = findMitigation(name);
      if (!m) throw new Error(`no ${name}`);
      const args = m.example.split(':').slice(1);
      const before = JSON.stringify(spec);
      const out = m.apply(spec, args); // spec is deep-frozen: a mutation would throw
      expect(out).not.toBe(spec);
      expect(out).toMatchObject(fields);
      expect(JSON.stringify(spec)).toBe(before);
      const validated = applyMitigations(spec, m.example);
      expect(validated).toMatchObject(fields);
      expect(validated.name).toBe(`${spec.name}+${m.example}`);
    });
  }
});

describe('applyMitigations', () => {
  it('composes in order and names the variant', () => {
    const out = applyMitigations(mlp, 'relu+he-init+batchnorm+clip-global-norm:1');
    expect(out.name).toBe('tiny-mlp+relu+he-init+batchnorm+clip-global-norm:1');
    expect(out.model).toMatchObject({ activation: 'relu', init: 'he-normal', norm: 'batchnorm' });
    expect(out.training.clip).toEqual({ kind: 'global-norm', maxNorm: 1, errorIfNonFinite: false });
    // later strategies win
    expect(applyMitigations(mlp, 'relu+tanh').model).toMatchObject({ activation: 'tanh' });
    expect(applyMitigations(mlp, 'lr:0.1+adam').training.optimizer).toMatchObject({
      kind: 'adam',
      lr: 0.1,
    });
    // tokens may be given as a list; spaces around tokens are ignored
    expect(applyMitigations(mlp, ['relu', 'he-init'])).toEqual(
      applyMitigations(mlp, ' relu + he-init '),
    );
  });

  it('returns a validated spec with every default filled in, from a spec input too', () => {
    const out = applyMitigations(
      {
        gradlab: 1,
        data: { kind: 'teacher' },
        model: { kind: 'mlp', depth: 3, width: 4 },
      },
      'sigmoid',
    );
    expect(out.name).toBe('experiment+sigmoid');
    expect(out.training.schedule).toEqual({ kind: 'constant', warmupSteps: 0 });
    expect(out.model).toMatchObject({ activation: 'sigmoid', norm: 'none', leakyAlpha: 0.01 });
  });

  it('never mutates its input', () => {
    const before = JSON.stringify(mlp);
    for (const variant of [
      'relu+he-init+batchnorm+residual',
      'l2:0.1+weight-clip:0.1+warmup:3+cosine',
    ]) {
      applyMitigations(mlp, variant);
    }
    expect(JSON.stringify(mlp)).toBe(before);
  });

  it('reads numbers with exponents, including "+"', () => {
    expect(applyMitigations(mlp, 'lr:1e-3+l2:1e+0').training).toMatchObject({
      optimizer: { lr: 0.001 },
      regularization: { l2: 1 },
    });
  });

  it('rejects an unknown name, listing the known ones', async () => {
    const e = await caught(() => applyMitigations(mlp, 'relu+he-normal'));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain('unknown mitigation "he-normal"');
    expect(e.message).toContain('Did you mean "he-init" or "he-uniform"?');
    for (const m of listMitigations()) expect(e.message).toContain(m.name);
  });

  it('suggests the strategy a typo was meant as', async () => {
    expect((await caught(() => applyMitigations(mlp, 'rleu'))).message).toContain(
      'Did you mean "relu"?',
    );
    expect((await caught(() => applyMitigations(mlp, 'batchnrom'))).message).toContain(
      'Did you mean "batchnorm"?',
    );
    expect((await caught(() => applyMitigations(mlp, 'zzzzzz'))).message).not.toContain(
      'Did you mean',
    );
  });

  it('rejects bad arguments, naming the strategy, the value and what is allowed', async () => {
    const cases: [string, string[]][] = [
      ['leaky-relu:abc', ['leaky-relu: alpha must be a number in [0, 1]', 'got "abc"']],
      ['leaky-relu:2', ['leaky-relu: alpha must be a number in [0, 1]', 'got "2"']],
      ['clip-global-norm:0', ['clip-global-norm: maxNorm must be a number > 0', 'got "0"']],
      ['clip-global-norm', ['clip-global-norm needs maxNorm, a number > 0', 'clip-global-norm:1']],
      ['residual:1.5', ['residual: every must be an integer in [1, 100]', 'got "1.5"']],
      ['step-decay:10:2', ['step-decay: factor must be a number in (0, 1]', 'got "2"']],
      ['relu:3', ['relu takes no arguments', 'got "relu:3"']],
      ['momentum:0.9:1', ['momentum takes at most 1 argument (momentum[:m])']],
      ['normal-init:', ['normal-init: std must be a number in (0, 1000]', 'got ""']],
    ];
    for (const [variant, parts] of cases) {
      const e = await caught(() => applyMitigations(mlp, variant));
      expect(e.code, variant).toBe('INVALID_ARGUMENT');
      for (const p of parts) expect(e.message, variant).toContain(p);
    }
  });

  it('rejects empty variants and empty strategies', async () => {
    for (const variant of ['', '  ', 'relu++he-init', 'relu+']) {
      const e = await caught(() => applyMitigations(mlp, variant));
      expect(e.code, JSON.stringify(variant)).toBe('INVALID_ARGUMENT');
    }
  });

  it('rejects inapplicable strategies, saying why', async () => {
    for (const [spec, variant, why] of [
      [mlp, 'lstm', 'lstm does not apply here: the model is an MLP'],
      [rnn, 'batchnorm', 'batchnorm does not apply here: the model is a rnn'],
      [rnn, 'layernorm', 'layernorm does not apply here'],
      [lstm, 'tanh', 'tanh does not apply here: the lstm cell'],
      [rnn, 'residual', 'residual does not apply here'],
      [rnn, 'pretrain', 'pretrain does not apply here'],
    ] as const) {
      const e = await caught(() => applyMitigations(spec, variant));
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toContain(why);
    }
  });

  it('a bad base spec is reported as such', async () => {
    const e = await caught(() => applyMitigations({ gradlab: 1 } as never, 'relu'));
    expect(e.code).toBe('INVALID_SPEC');
  });

  it('parseVariant splits names and arguments', () => {
    expect(parseVariant('relu+step-decay:10:0.5+lr:1e+2')).toEqual([
      { token: 'relu', name: 'relu', args: [] },
      { token: 'step-decay:10:0.5', name: 'step-decay', args: ['10', '0.5'] },
      { token: 'lr:1e+2', name: 'lr', args: ['1e+2'] },
    ]);
  });
});
