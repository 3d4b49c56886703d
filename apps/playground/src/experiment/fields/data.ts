import type { ExperimentSpec } from '@gradlab/core';
import { at, type Draft, type SpecField, show, toNumber } from './field.js';

const dataKinds = [
  { value: 'teacher-regression', label: 'teacher network, regression' },
  { value: 'teacher-classification', label: 'teacher network, classification' },
  { value: 'spirals', label: 'spirals (2-D classification)' },
  { value: 'mnist', label: 'MNIST digits' },
  { value: 'adding', label: 'adding problem (sequences)' },
] as const;

function dataKindOf(spec: ExperimentSpec): string {
  return spec.data.kind === 'teacher' ? `teacher-${spec.data.task}` : spec.data.kind;
}

/**
 * Changing the data set may change the model: sequences need a recurrent net and every other
 * data set an MLP, so a switch across that line brings a small model of the right family. The
 * loss goes back to the data set's default.
 */
function setDataKind(draft: Draft, value: string): void {
  const data = draft.data as Draft;
  const samples = data.samples;
  const [kind, task] = value.split('-') as [string, string | undefined];
  const next: Draft = { kind };
  if (kind === 'teacher') {
    next.task = task;
    if (data.kind === 'teacher')
      Object.assign(next, { inputSize: data.inputSize, outputSize: data.outputSize });
  }
  if (typeof samples === 'number' && kind !== 'mnist') next.samples = samples;
  draft.data = next;
  const model = draft.model as Draft;
  const recurrent = model.kind !== 'mlp';
  if (kind === 'adding' && !recurrent) {
    draft.model = { kind: 'rnn', hiddenSize: 32, activation: 'tanh' };
    draft.training = { ...(draft.training as Draft), pretraining: null };
  }
  if (kind !== 'adding' && recurrent) {
    draft.model = { kind: 'mlp', depth: 6, width: 32, activation: 'tanh', init: 'xavier-normal' };
  }
  delete (draft.training as Draft).loss;
}

const number = (
  id: string,
  label: string,
  applies: (s: ExperimentSpec) => boolean,
  step: '1' | 'any' = '1',
): SpecField => {
  const parts = id.split('.');
  const key = parts.pop() as string;
  const parent = parts.join('.');
  return {
    id,
    label,
    section: 'data',
    input: 'number',
    step,
    applies,
    get: (s) => show((s.data as Record<string, unknown>)[key] as number | undefined),
    set: (d, v) => {
      at(d, parent)[key] = toNumber(label, v);
    },
  };
};

export const dataFields: readonly SpecField[] = [
  {
    id: 'data.kind',
    label: 'data set',
    section: 'data',
    input: 'select',
    options: () => dataKinds,
    applies: () => true,
    get: dataKindOf,
    set: setDataKind,
  },
  number('data.samples', 'examples', () => true),
  number('data.inputSize', 'inputs', (s) => s.data.kind === 'teacher'),
  number('data.outputSize', 'outputs (or classes)', (s) => s.data.kind === 'teacher'),
  number('data.classes', 'classes', (s) => s.data.kind === 'spirals'),
  number(
    'data.noise',
    'noise',
    (s) => s.data.kind === 'teacher' || s.data.kind === 'spirals',
    'any',
  ),
  number('data.length', 'sequence length', (s) => s.data.kind === 'adding'),
];
