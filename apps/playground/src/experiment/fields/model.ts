import { activationNames, type ExperimentSpec, GradlabError } from '@gradlab/core';
import { at, type SpecField, show, toNumber } from './field.js';
import { initFields, PER_LAYER } from './init.js';

const mlp = (s: ExperimentSpec) => s.model.kind === 'mlp';
const recurrent = (s: ExperimentSpec) => s.model.kind !== 'mlp';
const modelValue = (s: ExperimentSpec, key: string) => (s.model as Record<string, unknown>)[key];

function modelNumber(
  key: string,
  label: string,
  applies: (s: ExperimentSpec) => boolean,
  step: '1' | 'any' = '1',
  help?: string,
): SpecField {
  return {
    id: `model.${key}`,
    label,
    section: 'model',
    input: 'number',
    step,
    ...(help ? { help } : {}),
    applies,
    get: (s) => show(modelValue(s, key) as number | undefined),
    set: (d, v) => {
      at(d, 'model')[key] = toNumber(label, v);
    },
  };
}

/** "64" or "64, 32, 16": one width for every hidden layer, or one per hidden layer. */
function parseWidth(value: string): number | number[] {
  const parts = value.split(',').map((p) => p.trim());
  const numbers = parts.map((p) => toNumber('width', p));
  if (parts.length === 1) return numbers[0] as number;
  return numbers;
}

export const modelFields: readonly SpecField[] = [
  {
    id: 'model.kind',
    label: 'model',
    section: 'model',
    input: 'select',
    options: (s) =>
      s.data.kind === 'adding'
        ? [
            { value: 'rnn', label: 'plain RNN' },
            { value: 'lstm', label: 'LSTM' },
            { value: 'gru', label: 'GRU' },
          ]
        : [{ value: 'mlp', label: 'MLP (dense layers)' }],
    applies: () => true,
    get: (s) => s.model.kind,
    set: (d, v) => {
      const model = at(d, 'model');
      if ((model.kind === 'mlp') !== (v === 'mlp')) {
        throw new GradlabError(
          'INVALID_ARGUMENT',
          `model "${v}" does not fit this data set: recurrent models (rnn, lstm, gru) take the adding problem, every other data set an MLP. Change the data set first.`,
        );
      }
      model.kind = v;
    },
  },
  modelNumber('depth', 'depth (dense layers)', mlp),
  {
    id: 'model.width',
    label: 'width',
    section: 'model',
    input: 'text',
    help: 'units per hidden layer: one number, or one per hidden layer separated by commas',
    applies: mlp,
    get: (s) => {
      const w = modelValue(s, 'width') as number | number[];
      return Array.isArray(w) ? w.join(', ') : String(w);
    },
    set: (d, v) => {
      at(d, 'model').width = parseWidth(v);
    },
  },
  {
    id: 'model.activation',
    label: 'activation',
    section: 'model',
    input: 'select',
    options: (s) => [
      ...activationNames
        .filter((a) => s.model.kind === 'mlp' || a !== 'prelu')
        .map((a) => ({ value: a, label: a })),
      ...(Array.isArray(modelValue(s, 'activation'))
        ? [{ value: PER_LAYER, label: 'one per layer (see the JSON)' }]
        : []),
    ],
    applies: (s) => s.model.kind === 'mlp' || s.model.kind === 'rnn',
    get: (s) => {
      const a = modelValue(s, 'activation');
      return Array.isArray(a) ? PER_LAYER : String(a);
    },
    set: (d, v) => {
      if (v !== PER_LAYER) at(d, 'model').activation = v;
    },
  },
  modelNumber(
    'leakyAlpha',
    'leaky-relu slope',
    (s) => {
      const a = modelValue(s, 'activation');
      return mlp(s) && (a === 'leaky-relu' || (Array.isArray(a) && a.includes('leaky-relu')));
    },
    'any',
  ),
  ...initFields('init', 'initialiser', () => true),
  {
    id: 'model.norm',
    label: 'normalisation',
    section: 'model',
    input: 'select',
    options: () => [
      { value: 'none', label: 'none' },
      { value: 'batchnorm', label: 'BatchNorm' },
      { value: 'layernorm', label: 'LayerNorm' },
    ],
    applies: mlp,
    get: (s) => String(modelValue(s, 'norm')),
    set: (d, v) => {
      at(d, 'model').norm = v;
    },
  },
  {
    id: 'model.residual',
    label: 'residual every (0: none)',
    section: 'model',
    input: 'number',
    step: '1',
    help: 'a skip connection around every block of this many hidden layers',
    applies: mlp,
    get: (s) => {
      const r = modelValue(s, 'residual') as { every: number } | null;
      return r ? String(r.every) : '0';
    },
    set: (d, v) => {
      const every = toNumber('residual every', v);
      at(d, 'model').residual = every === 0 ? null : { every };
    },
  },
  modelNumber('hiddenSize', 'hidden units', recurrent),
  ...initFields('recurrentInit', 'recurrent initialiser', recurrent),
  modelNumber('forgetBias', 'forget-gate bias', (s) => s.model.kind === 'lstm', 'any'),
];
