import { describe, expect, test } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  type ExperimentSpecInput,
  experimentJsonSchema,
  GradlabError,
  lossOf,
  parseSpec,
  parseSpecJson,
} from '../index.js';
import { caught } from '../test-support.js';

const minimal = (): ExperimentSpecInput => ({
  gradlab: 1,
  data: { kind: 'teacher' },
  model: { kind: 'mlp', depth: 3, width: 8 },
});

/** The INVALID_SPEC error `input` is rejected with. */
async function rejection(input: unknown): Promise<GradlabError> {
  const e = await caught(() => parseSpec(input));
  expect(e).toBeInstanceOf(GradlabError);
  expect((e as GradlabError).code).toBe('INVALID_SPEC');
  return e as GradlabError;
}

/** The one line of the message about `path`, which must also show the rejected value. */
async function rejectedLine(input: unknown, path: string, shown: string): Promise<string> {
  const e = await rejection(input);
  const line = e.message.split('\n').find((l) => l.trim().startsWith(`${path}:`));
  expect(line, `a line for ${path} in:\n${e.message}`).toBeDefined();
  expect(line).toContain(`got ${shown}`);
  expect(e.details).toContain((line as string).trim());
  return line as string;
}

describe('parseSpec defaults', () => {
  test('fills every default of a minimal spec', () => {
    const spec = parseSpec(minimal());
    expect(spec.name).toBe('experiment');
    expect(spec.seed).toBe(0);
    expect(spec.data).toEqual({
      kind: 'teacher',
      task: 'regression',
      inputSize: 32,
      outputSize: 4,
      samples: 1024,
      noise: 0,
    });
    expect(spec.model).toMatchObject({
      kind: 'mlp',
      depth: 3,
      width: 8,
      activation: 'relu',
      init: 'he-normal',
      norm: 'none',
      residual: null,
      leakyAlpha: 0.01,
      preluInit: 0.25,
    });
    expect(spec.training).toMatchObject({
      steps: 100,
      batchSize: 32,
      optimizer: { kind: 'sgd', lr: 0.01 },
      schedule: { kind: 'constant', warmupSteps: 0 },
      clip: null,
      regularization: { l1: 0, l2: 0 },
      weightClip: null,
      pretraining: null,
    });
    expect(spec.training.loss).toBeUndefined();
    expect(spec.diagnostics).toEqual({ every: 10, thresholds: { ...DEFAULT_THRESHOLDS } });
  });

  test('fills optimizer and recurrent defaults', () => {
    const spec = parseSpec({
      ...minimal(),
      data: { kind: 'adding' },
      model: { kind: 'lstm', hiddenSize: 4 },
      training: { optimizer: { kind: 'adam', lr: 0.001 } },
    });
    expect(spec.model).toEqual({
      kind: 'lstm',
      hiddenSize: 4,
      activation: 'tanh',
      init: 'xavier-uniform',
      recurrentInit: 'orthogonal',
      forgetBias: 1,
    });
    expect(spec.training.optimizer).toEqual({
      kind: 'adam',
      lr: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
    expect(spec.data).toEqual({ kind: 'adding', length: 20, samples: 1024 });
  });

  test('the loss defaults by task', () => {
    expect(lossOf(parseSpec(minimal()))).toBe('mse');
    const spirals = parseSpec({ ...minimal(), data: { kind: 'spirals' } });
    expect(lossOf(spirals)).toBe('softmax-cross-entropy');
  });

  test('the bias initialiser is optional: a spec without one parses without the key', () => {
    expect(parseSpec(minimal()).model).not.toHaveProperty('biasInit');
    const spec = parseSpec({
      ...minimal(),
      model: { kind: 'mlp', depth: 3, width: 8, biasInit: { kind: 'normal', std: 0.2 } },
    });
    expect(spec.model).toMatchObject({ biasInit: { kind: 'normal', std: 0.2 } });
  });

  test('keeps given values', () => {
    const spec = parseSpec({ ...minimal(), name: 'mine', seed: 42, training: { steps: 3 } });
    expect(spec.name).toBe('mine');
    expect(spec.seed).toBe(42);
    expect(spec.training.steps).toBe(3);
  });
});

describe('parseSpec rejections name the field, the value and what is allowed', () => {
  test('unknown activation', async () => {
    const line = await rejectedLine(
      { ...minimal(), model: { kind: 'mlp', depth: 3, width: 8, activation: 'swish' } },
      'model.activation',
      '"swish"',
    );
    for (const name of ['relu', 'tanh', 'sigmoid', 'gelu']) expect(line).toContain(name);
  });

  test('unknown activation of a recurrent cell', async () => {
    const line = await rejectedLine(
      {
        ...minimal(),
        data: { kind: 'adding' },
        model: { kind: 'rnn', hiddenSize: 4, activation: 'swish' },
      },
      'model.activation',
      '"swish"',
    );
    expect(line).toContain('tanh');
  });

  test('unknown initialiser', async () => {
    const line = await rejectedLine(
      { ...minimal(), model: { kind: 'mlp', depth: 3, width: 8, init: 'kaiming' } },
      'model.init',
      '"kaiming"',
    );
    expect(line).toContain('he-normal');
  });

  test('a bias initialiser that needs a fan-in', async () => {
    const line = await rejectedLine(
      { ...minimal(), model: { kind: 'mlp', depth: 3, width: 8, biasInit: 'he-normal' } },
      'model.biasInit',
      '"he-normal"',
    );
    for (const allowed of ['zeros', 'normal', 'uniform', 'constant'])
      expect(line).toContain(allowed);
  });

  test('depth 0', async () => {
    const line = await rejectedLine(
      { ...minimal(), model: { kind: 'mlp', depth: 0, width: 8 } },
      'model.depth',
      '0',
    );
    expect(line).toContain('>=1');
  });

  test('negative learning rate', async () => {
    const line = await rejectedLine(
      { ...minimal(), training: { optimizer: { kind: 'sgd', lr: -0.1 } } },
      'training.optimizer.lr',
      '-0.1',
    );
    expect(line).toContain('>0');
  });

  test('an unknown activation in a per-layer list names its index', async () => {
    const line = await rejectedLine(
      { ...minimal(), model: { kind: 'mlp', depth: 3, width: 8, activation: ['relu', 'swish'] } },
      'model.activation[1]',
      '"swish"',
    );
    expect(line).toContain('relu');
  });

  test('per-layer activation list of the wrong length', async () => {
    const line = await rejectedLine(
      { ...minimal(), model: { kind: 'mlp', depth: 3, width: 8, activation: ['relu'] } },
      'model.activation',
      '["relu"]',
    );
    expect(line).toContain('depth - 1 = 2');
  });

  test('per-layer init list of the wrong length', async () => {
    const line = await rejectedLine(
      { ...minimal(), model: { kind: 'mlp', depth: 3, width: 8, init: ['zeros'] } },
      'model.init',
      '["zeros"]',
    );
    expect(line).toContain('depth = 3');
  });

  test('an MLP on sequence data', async () => {
    const line = await rejectedLine(
      { ...minimal(), data: { kind: 'adding' } },
      'model.kind',
      '"mlp"',
    );
    expect(line).toMatch(/rnn.*lstm.*gru/);
  });

  test('a recurrent model on vector data', async () => {
    const line = await rejectedLine(
      { ...minimal(), model: { kind: 'gru', hiddenSize: 4 } },
      'model.kind',
      '"gru"',
    );
    expect(line).toContain('mlp');
  });

  test('softmax cross-entropy on regression data', async () => {
    const line = await rejectedLine(
      { ...minimal(), training: { loss: 'softmax-cross-entropy' } },
      'training.loss',
      '"softmax-cross-entropy"',
    );
    expect(line).toContain('mse');
  });

  test('unknown model kind', async () => {
    const line = await rejectedLine(
      { ...minimal(), model: { kind: 'cnn', depth: 2 } },
      'model.kind',
      '"cnn"',
    );
    expect(line).toMatch(/mlp.*rnn.*lstm.*gru/);
  });

  test('unknown data kind', async () => {
    const line = await rejectedLine(
      { ...minimal(), data: { kind: 'cifar' } },
      'data.kind',
      '"cifar"',
    );
    expect(line).toMatch(/teacher.*spirals.*adding.*mnist/);
  });

  test('every rejected field is reported at once', async () => {
    const e = await rejection({
      ...minimal(),
      seed: -1,
      model: { kind: 'mlp', depth: 0, width: 8 },
      training: { steps: 0 },
    });
    expect(e.details).toHaveLength(3);
    expect(e.message).toContain('seed:');
    expect(e.message).toContain('model.depth:');
    expect(e.message).toContain('training.steps:');
  });

  test('thresholds in the wrong order', async () => {
    const e = await rejection({
      ...minimal(),
      diagnostics: { thresholds: { vanishingRatio: 1e4 } },
    });
    expect(e.message).toContain('diagnostics.thresholds');
    expect(e.message).toContain('below exploding');
  });

  test('not an object', async () => {
    const e = await rejection(null);
    expect(e.message).toContain('(spec)');
    expect(e.message).toContain('expected object');
  });
});

describe('parseSpecJson', () => {
  test('parses JSON text', () => {
    expect(parseSpecJson(JSON.stringify(minimal())).model.kind).toBe('mlp');
  });

  test('malformed JSON is INVALID_SPEC naming the source', async () => {
    const e = await caught(() => parseSpecJson('{"gradlab": 1,', 'my-spec.json'));
    expect(e).toBeInstanceOf(GradlabError);
    expect((e as GradlabError).code).toBe('INVALID_SPEC');
    expect((e as GradlabError).message).toContain('my-spec.json is not valid JSON');
  });

  test('a valid JSON document that is not a spec names the source', async () => {
    const e = await caught(() => parseSpecJson('{"gradlab": 2}', 'other.json'));
    expect((e as GradlabError).code).toBe('INVALID_SPEC');
    expect((e as GradlabError).message).toContain('other.json is not a valid gradlab experiment');
  });
});

test('experimentJsonSchema describes the top-level properties', () => {
  const schema = experimentJsonSchema() as {
    $id: string;
    type: string;
    properties: Record<string, unknown>;
    required: string[];
  };
  expect(schema.$id).toMatch(/^https:\/\//);
  expect(schema.type).toBe('object');
  for (const key of ['gradlab', 'name', 'seed', 'data', 'model', 'training', 'diagnostics']) {
    expect(schema.properties).toHaveProperty(key);
  }
  // Defaults may be left out of a spec a user writes.
  expect([...schema.required].sort()).toEqual(['data', 'gradlab', 'model']);
});
