import { type ExperimentSpec, parseSpec } from '@gradlab/core';
import { listPresets, presetSpec } from '@gradlab/experiments';
import { describe, expect, test } from 'vitest';
import { compressToUrl } from './compress.js';
import type { ExperimentState } from './state.js';
import { decodeState, encodeState } from './url-state.js';

const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** A spec in which every field holds something other than its default. */
const everyField: ExperimentSpec = parseSpec({
  gradlab: 1,
  name: 'every field',
  description: 'non-default values everywhere, ünïcödé included',
  seed: 4_000_000_000,
  data: {
    kind: 'teacher',
    task: 'classification',
    inputSize: 12,
    outputSize: 3,
    samples: 500,
    noise: 0.25,
  },
  model: {
    kind: 'mlp',
    depth: 4,
    width: [24, 16, 8],
    activation: ['elu', 'leaky-relu', 'prelu'],
    init: [
      'orthogonal',
      { kind: 'normal', std: 0.02 },
      { kind: 'uniform', limit: 0.3 },
      { kind: 'he-normal', gain: 1.5 },
    ],
    norm: 'layernorm',
    residual: { every: 2 },
    leakyAlpha: 0.2,
    preluInit: 0.1,
  },
  training: {
    steps: 77,
    batchSize: 13,
    optimizer: { kind: 'adam', lr: 0.0025, beta1: 0.8, beta2: 0.95, epsilon: 1e-6 },
    schedule: { kind: 'cosine', minLr: 0.0001, period: 50, warmupSteps: 5 },
    clip: { kind: 'global-norm', maxNorm: 0.5, errorIfNonFinite: true },
    regularization: { l1: 0.001, l2: 0.002 },
    weightClip: { limit: 2 },
    pretraining: { stepsPerLayer: 7, lr: 0.02 },
    loss: 'softmax-cross-entropy',
  },
  diagnostics: {
    every: 3,
    thresholds: {
      vanishingRatio: 1e-4,
      explodingRatio: 1e4,
      vanishingNorm: 1e-9,
      explodingNorm: 1e4,
    },
  },
});

const state = (over: Partial<ExperimentState> = {}): ExperimentState => ({
  base: everyField,
  preset: null,
  mitigations: [],
  backend: 'wasm',
  compareWith: null,
  ...over,
});

async function roundTrip(s: ExperimentState): Promise<ExperimentState> {
  const decoded = await decodeState(`#${await encodeState(s)}`, BACKENDS);
  if (decoded.kind !== 'state') throw new Error(`expected a state, got ${JSON.stringify(decoded)}`);
  return decoded.state;
}

describe('the experiment in the URL', () => {
  test('every spec field survives the round trip, as do mitigations and both backends', async () => {
    const s = state({
      preset: 'deep-sigmoid',
      mitigations: ['clip-value:0.5', 'lr:0.01'],
      backend: 'webgl',
      compareWith: 'cpu',
    });
    expect(await roundTrip(s)).toEqual(s);
    // A spec from no preset is written as its changes from the default one.
    expect(await roundTrip(state())).toEqual(state({ preset: 'tiny' }));
  });

  test('a preset as it is travels by name, and a changed one as the fields it changes', async () => {
    const tiny = presetSpec('tiny');
    const named = await encodeState(state({ base: tiny, preset: 'tiny' }));
    expect(named).toBe('v=2&preset=tiny&backend=wasm');
    const changed = { ...tiny, model: { ...tiny.model, depth: 12, activation: 'elu' as const } };
    const encoded = await encodeState(state({ base: changed, preset: 'tiny' }));
    expect(encoded).toBe('v=2&preset=tiny&model.depth=12&model.activation=elu&backend=wasm');
    expect((await roundTrip(state({ base: changed, preset: 'tiny' }))).base).toEqual(changed);
  });

  test('a value reads back with its type: words, numbers, lists, groups, and words that look like numbers', async () => {
    const tiny = presetSpec('tiny');
    const odd = parseSpec({
      ...tiny,
      name: '12',
      description: '',
      model: { ...tiny.model, width: [7, 5, 3] },
      training: { ...tiny.training, clip: { kind: 'value', limit: 0.5 } },
    });
    const encoded = await encodeState(state({ base: odd, preset: 'tiny' }));
    const params = new URLSearchParams(encoded);
    expect(params.get('name')).toBe('"12"');
    expect(params.get('model.width')).toBe('[7,5,3]');
    expect(JSON.parse(params.get('training.clip') as string)).toEqual({
      kind: 'value',
      limit: 0.5,
    });
    expect((await roundTrip(state({ base: odd, preset: 'tiny' }))).base).toEqual(odd);
  });

  test('a link of version 1, the spec deflated, still opens', async () => {
    const changed = { ...presetSpec('tiny'), seed: 9 };
    const old = `#v=1&spec=${await compressToUrl(JSON.stringify(changed))}&backend=cpu`;
    const decoded = await decodeState(old, BACKENDS);
    expect(decoded).toEqual({
      kind: 'state',
      state: { base: changed, preset: null, mitigations: [], backend: 'cpu', compareWith: null },
    });
  });

  test('every preset, with mitigations, round-trips', async () => {
    for (const p of listPresets()) {
      const mitigations = p.spec.model.kind === 'mlp' ? ['relu', 'he-init', 'batchnorm'] : ['lstm'];
      const s = state({ base: presetSpec(p.name), preset: p.name, mitigations });
      expect(await roundTrip(s)).toEqual(s);
    }
  });

  test('an empty fragment is no experiment, and no error', async () => {
    expect(await decodeState('', BACKENDS)).toEqual({ kind: 'empty' });
    expect(await decodeState('#', BACKENDS)).toEqual({ kind: 'empty' });
  });
});

describe('a bad link is a message, never a crash', () => {
  const bad = async (fragment: string) => {
    const decoded = await decodeState(fragment, BACKENDS);
    expect(decoded.kind).toBe('error');
    const { message } = decoded as { message: string };
    expect(message).toMatch(/^This link's experiment could not be loaded: /);
    return message;
  };

  test('each kind of damage is named', async () => {
    const specOf = async (value: unknown) => compressToUrl(JSON.stringify(value));
    expect(await bad('#preset=nope')).toMatch(/no preset named "nope".*Known presets: reference/);
    expect(await bad('#backend=cpu')).toMatch(/neither "preset" nor "spec"/);
    expect(await bad('#v=7&preset=tiny')).toMatch(
      /format version 7; this playground reads versions 1 and 2/,
    );
    expect(await bad('#spec=not*base64')).toMatch(/spec in the link is damaged .*base64url/);
    expect(await bad('#spec=AAAA')).toMatch(/spec in the link is damaged/);
    expect(await bad(`#spec=${await compressToUrl('{"gradlab": 1,')}`)).toMatch(
      /spec in the link is not JSON/,
    );
    const deep = { ...presetSpec('tiny'), model: { ...presetSpec('tiny').model, depth: -3 } };
    expect(await bad(`#spec=${await specOf(deep)}`)).toMatch(/model\.depth: .*got -3/);
    expect(await bad(`#spec=${'A'.repeat(20_001)}`)).toMatch(/20001 characters long/);
    expect(await bad('#preset=tiny&mitigations=relu%2Bmagic')).toMatch(
      /unknown mitigation "magic"/,
    );
    expect(await bad('#preset=tiny&mitigations=lstm')).toMatch(/lstm does not apply here/);
    expect(await bad('#preset=tiny&backend=cuda')).toMatch(
      /backend "cuda" is not a backend of the playground; it knows webgpu, webgl, wasm, cpu/,
    );
    expect(await bad('#preset=tiny&compare=tpu')).toMatch(/compare "tpu"/);
  });

  test('a changed field that is not one, or not valid, is named', async () => {
    expect(await bad('#v=2&preset=tiny&model.colour=red')).toMatch(/model\.colour/);
    expect(await bad('#v=2&preset=tiny&model.depth=-3')).toMatch(/model\.depth: .*got -3/);
    expect(await bad('#v=2&preset=tiny&model.depth=deep')).toMatch(/model\.depth/);
    expect(await bad('#v=2&preset=tiny&model.depth.layers=3')).toMatch(
      /model\.depth is a value, not a group of fields/,
    );
    expect(await bad('#v=2&preset=tiny&__proto__.polluted=1')).toMatch(
      /"__proto__\.polluted" is not the name of a spec field/,
    );
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(await bad('#v=2&preset=tiny&seed=1&seed=2')).toMatch(/sets seed twice/);
    expect(await bad('#v=2&model.depth=3')).toMatch(/neither "preset" nor "spec"/);
  });
});
