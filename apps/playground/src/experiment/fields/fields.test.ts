import { type ExperimentSpec, GradlabError, parseSpec } from '@gradlab/core';
import { presetSpec } from '@gradlab/experiments';
import { describe, expect, test } from 'vitest';
import { applyField, PER_LAYER, type SpecField, specFields } from './index.js';

const field = (id: string): SpecField => {
  const f = specFields.find((x) => x.id === id);
  if (!f) throw new Error(`no field ${id}`);
  return f;
};

const mlp = presetSpec('tiny');
const lstm = presetSpec('lstm-adding');
const rnn = presetSpec('rnn-adding');
const withSpec = (over: object): ExperimentSpec => parseSpec({ ...mlp, ...over });
const training = (over: object) => withSpec({ training: { ...mlp.training, ...over } });
const model = (over: object) => withSpec({ model: { ...mlp.model, ...over } });

/**
 * For every field of the form: a spec it applies to and a value other than the one the spec
 * has. Setting it and reading it back must give the value. A field missing here fails the test.
 */
const samples: Record<string, [ExperimentSpec, string]> = {
  'data.kind': [mlp, 'spirals'],
  'data.samples': [mlp, '300'],
  'data.inputSize': [mlp, '5'],
  'data.outputSize': [mlp, '3'],
  'data.classes': [withSpec({ data: { kind: 'spirals' } }), '4'],
  'data.noise': [mlp, '0.5'],
  'data.length': [lstm, '12'],
  'model.kind': [lstm, 'gru'],
  'model.depth': [mlp, '9'],
  'model.width': [mlp, '12, 10, 8'],
  'model.activation': [mlp, 'gelu'],
  'model.leakyAlpha': [model({ activation: 'leaky-relu' }), '0.3'],
  'model.init': [mlp, 'lecun-uniform'],
  'model.initScale': [model({ init: { kind: 'uniform', limit: 0.1 } }), '0.7'],
  'model.norm': [mlp, 'batchnorm'],
  'model.residual': [mlp, '2'],
  'model.hiddenSize': [lstm, '20'],
  'model.recurrentInit': [lstm, 'identity'],
  'model.recurrentInitScale': [rnn, '0.2'],
  'model.forgetBias': [lstm, '2.5'],
  'training.steps': [mlp, '33'],
  'training.batchSize': [mlp, '16'],
  'training.optimizer.kind': [mlp, 'momentum'],
  'training.optimizer.lr': [mlp, '0.125'],
  'training.optimizer.momentum': [training({ optimizer: { kind: 'momentum', lr: 0.1 } }), '0.5'],
  'training.schedule.kind': [mlp, 'exponential'],
  'training.schedule.every': [training({ schedule: { kind: 'step', every: 10 } }), '25'],
  'training.schedule.factor': [training({ schedule: { kind: 'step', every: 10 } }), '0.5'],
  'training.schedule.rate': [training({ schedule: { kind: 'exponential', rate: 0.9 } }), '0.95'],
  'training.schedule.minLr': [training({ schedule: { kind: 'cosine' } }), '0.001'],
  'training.schedule.warmupSteps': [mlp, '4'],
  'training.clip.kind': [mlp, 'global-norm'],
  'training.clip.threshold': [training({ clip: { kind: 'value', limit: 1 } }), '0.25'],
  'training.regularization.l1': [mlp, '0.01'],
  'training.regularization.l2': [mlp, '0.02'],
  'training.weightClip': [mlp, '0.5'],
  'training.pretraining': [mlp, '10'],
  'training.loss': [withSpec({ data: { kind: 'spirals' } }), 'mse'],
  name: [mlp, 'my experiment'],
  seed: [mlp, '42'],
  'diagnostics.every': [mlp, '2'],
};

describe('the experiment form', () => {
  test('has a sample for every field, and no two fields share an id', () => {
    const ids = specFields.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(samples).sort()).toEqual([...ids].sort());
  });

  test.each(Object.entries(samples))('%s: set, validated, read back', (id, [spec, value]) => {
    const f = field(id);
    expect(f.applies(spec)).toBe(true);
    expect(f.get(spec)).not.toBe(value);
    if (f.options) expect(f.options(spec).map((o) => o.value)).toContain(value);
    const next = applyField(spec, f, value);
    expect(f.get(next)).toBe(value);
    expect(parseSpec(next)).toEqual(next);
  });

  test('fields hide where they do not apply', () => {
    expect(field('model.depth').applies(lstm)).toBe(false);
    expect(field('model.hiddenSize').applies(mlp)).toBe(false);
    expect(field('model.forgetBias').applies(rnn)).toBe(false);
    expect(field('training.optimizer.momentum').applies(mlp)).toBe(false);
    expect(field('model.initScale').applies(mlp)).toBe(false);
    expect(field('training.clip.threshold').applies(mlp)).toBe(false);
  });

  test('switching data between sequences and vectors brings a model of the right family', () => {
    const toAdding = applyField(mlp, field('data.kind'), 'adding');
    expect(toAdding.model.kind).toBe('rnn');
    const back = applyField(toAdding, field('data.kind'), 'teacher-regression');
    expect(back.model.kind).toBe('mlp');
    expect(
      field('model.kind')
        .options?.(back)
        .map((o) => o.value),
    ).toEqual(['mlp']);
    const classification = applyField(mlp, field('data.kind'), 'teacher-classification');
    expect(classification.data).toMatchObject({
      kind: 'teacher',
      task: 'classification',
      inputSize: 8,
    });
  });

  test('a scaled initialiser keeps its scale across kinds; a named one drops it', () => {
    const normal = applyField(mlp, field('model.init'), 'normal');
    expect(normal.model).toMatchObject({ init: { kind: 'normal', std: 0.05 } });
    const uniform = applyField(
      applyField(normal, field('model.initScale'), '0.2'),
      field('model.init'),
      'uniform',
    );
    expect(uniform.model).toMatchObject({ init: { kind: 'uniform', limit: 0.2 } });
    expect(applyField(uniform, field('model.init'), 'orthogonal').model).toMatchObject({
      init: 'orthogonal',
    });
  });

  test('per-layer lists show as one option and are kept when the form is not changed', () => {
    const perLayer = model({
      depth: 3,
      activation: ['relu', 'tanh'],
      init: ['zeros', 'identity', 'orthogonal'],
    });
    expect(field('model.activation').get(perLayer)).toBe(PER_LAYER);
    expect(field('model.init').get(perLayer)).toBe(PER_LAYER);
    expect(applyField(perLayer, field('model.activation'), PER_LAYER)).toEqual(perLayer);
  });

  test('zero switches optional parts off', () => {
    const on = applyField(mlp, field('model.residual'), '2');
    expect(applyField(on, field('model.residual'), '0').model).toMatchObject({ residual: null });
    const clipped = applyField(mlp, field('training.weightClip'), '0.5');
    expect(applyField(clipped, field('training.weightClip'), '0').training.weightClip).toBeNull();
  });

  test('bad values are errors naming the field and the value', () => {
    const error = (id: string, value: string, spec = mlp) => {
      try {
        applyField(spec, field(id), value);
      } catch (e) {
        expect(e).toBeInstanceOf(GradlabError);
        return (e as GradlabError).message;
      }
      throw new Error('expected an error');
    };
    expect(error('model.depth', 'ten')).toBe('depth (dense layers): expected a number; got "ten"');
    expect(error('model.depth', '0')).toMatch(
      /depth \(dense layers\) = "0" is not a valid gradlab experiment:\n {2}model\.depth: .*got 0/,
    );
    expect(error('model.width', '8, 8')).toMatch(
      /model\.width: has 2 entries; a per-layer list needs one per hidden layer \(depth - 1 = 3\)/,
    );
    expect(error('training.optimizer.lr', '-1')).toMatch(/training\.optimizer\.lr: .*got -1/);
    expect(error('model.kind', 'mlp', lstm)).toMatch(/does not fit this data set/);
    expect(error('training.loss', 'softmax-cross-entropy')).toMatch(
      /softmax-cross-entropy needs classification data/,
    );
  });
});
