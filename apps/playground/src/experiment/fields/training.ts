import type { ExperimentSpec } from '@gradlab/core';
import { at, type Draft, type SpecField, show, toNumber } from './field.js';

type Read = (s: ExperimentSpec) => unknown;

/** A number at a dotted path; `read` gets it from a validated spec. */
function numberAt(
  path: string,
  label: string,
  read: Read,
  applies: (s: ExperimentSpec) => boolean = () => true,
  step: '1' | 'any' = 'any',
  section: SpecField['section'] = 'training',
): SpecField {
  const parts = path.split('.');
  const key = parts.pop() as string;
  const parent = parts.join('.');
  return {
    id: path,
    label,
    section,
    input: 'number',
    step,
    applies,
    get: (s) => show(read(s) as number | undefined),
    set: (d, v) => {
      (parent ? at(d, parent) : d)[key] = toNumber(label, v);
    },
  };
}

const select = (
  id: string,
  label: string,
  values: readonly string[],
  get: (s: ExperimentSpec) => string,
  set: (d: Draft, v: string) => void,
  applies: (s: ExperimentSpec) => boolean = () => true,
): SpecField => ({
  id,
  label,
  section: 'training',
  input: 'select',
  options: () => values.map((v) => ({ value: v, label: v })),
  applies,
  get,
  set,
});

const optimizer = (s: ExperimentSpec) => s.training.optimizer;
const schedule = (s: ExperimentSpec) => s.training.schedule as Record<string, unknown>;
const scheduleIs =
  (...kinds: string[]) =>
  (s: ExperimentSpec) =>
    kinds.includes(s.training.schedule.kind);

/** The parameters a schedule kind needs, with the values a new one starts from. */
const SCHEDULE_DEFAULTS: Record<string, Draft> = {
  constant: {},
  step: { every: 100, factor: 0.1 },
  exponential: { rate: 0.99, every: 1 },
  cosine: { minLr: 0 },
};

const clipThreshold = (c: { kind: string; limit?: number; maxNorm?: number }) =>
  c.kind === 'value' ? c.limit : c.maxNorm;

/** Zero switches a field off (null in the spec); any other number sets `wrap(n)`. */
function optionalNumber(
  path: string,
  label: string,
  read: (s: ExperimentSpec) => number | null,
  wrap: (n: number) => Draft,
  applies: (s: ExperimentSpec) => boolean = () => true,
): SpecField {
  return {
    id: path,
    label,
    section: 'training',
    input: 'number',
    step: 'any',
    applies,
    get: (s) => show(read(s) ?? 0),
    set: (d, v) => {
      const n = toNumber(label, v);
      at(d, 'training')[path.split('.')[1] as string] = n === 0 ? null : wrap(n);
    },
  };
}

export const trainingFields: readonly SpecField[] = [
  numberAt('training.steps', 'steps', (s) => s.training.steps, undefined, '1'),
  numberAt('training.batchSize', 'batch size', (s) => s.training.batchSize, undefined, '1'),
  select(
    'training.optimizer.kind',
    'optimiser',
    ['sgd', 'momentum', 'adam'],
    (s) => optimizer(s).kind,
    (d, v) => {
      const lr = at(d, 'training.optimizer').lr;
      at(d, 'training').optimizer = { kind: v, lr };
    },
  ),
  numberAt('training.optimizer.lr', 'learning rate', (s) => optimizer(s).lr),
  numberAt(
    'training.optimizer.momentum',
    'momentum',
    (s) => (optimizer(s) as { momentum?: number }).momentum,
    (s) => optimizer(s).kind === 'momentum',
  ),
  select(
    'training.schedule.kind',
    'learning-rate schedule',
    Object.keys(SCHEDULE_DEFAULTS),
    (s) => s.training.schedule.kind,
    (d, v) => {
      const warmupSteps = at(d, 'training.schedule').warmupSteps ?? 0;
      at(d, 'training').schedule = { kind: v, warmupSteps, ...SCHEDULE_DEFAULTS[v] };
    },
  ),
  numberAt(
    'training.schedule.every',
    'decay every (steps)',
    (s) => schedule(s).every,
    scheduleIs('step', 'exponential'),
    '1',
  ),
  numberAt(
    'training.schedule.factor',
    'decay factor',
    (s) => schedule(s).factor,
    scheduleIs('step'),
  ),
  numberAt(
    'training.schedule.rate',
    'decay rate',
    (s) => schedule(s).rate,
    scheduleIs('exponential'),
  ),
  numberAt(
    'training.schedule.minLr',
    'minimum rate',
    (s) => schedule(s).minLr,
    scheduleIs('cosine'),
  ),
  numberAt(
    'training.schedule.warmupSteps',
    'warm-up steps',
    (s) => s.training.schedule.warmupSteps,
    undefined,
    '1',
  ),
  select(
    'training.clip.kind',
    'gradient clipping',
    ['none', 'value', 'norm', 'global-norm'],
    (s) => s.training.clip?.kind ?? 'none',
    (d, v) => {
      const training = at(d, 'training');
      const before = training.clip as { kind: string; limit?: number; maxNorm?: number } | null;
      const threshold = (before && clipThreshold(before)) ?? 1;
      training.clip =
        v === 'none'
          ? null
          : v === 'value'
            ? { kind: v, limit: threshold }
            : { kind: v, maxNorm: threshold };
    },
  ),
  {
    id: 'training.clip.threshold',
    label: 'clipping threshold',
    section: 'training',
    input: 'number',
    step: 'any',
    applies: (s) => s.training.clip !== null,
    get: (s) => show(s.training.clip ? clipThreshold(s.training.clip) : undefined),
    set: (d, v) => {
      const clip = at(d, 'training.clip');
      clip[clip.kind === 'value' ? 'limit' : 'maxNorm'] = toNumber('clipping threshold', v);
    },
  },
  numberAt('training.regularization.l1', 'L1 penalty', (s) => s.training.regularization.l1),
  numberAt('training.regularization.l2', 'L2 penalty', (s) => s.training.regularization.l2),
  optionalNumber(
    'training.weightClip',
    'weight clipping (0: none)',
    (s) => s.training.weightClip?.limit ?? null,
    (limit) => ({ limit }),
  ),
  optionalNumber(
    'training.pretraining',
    'pre-training steps per layer (0: none)',
    (s) => s.training.pretraining?.stepsPerLayer ?? null,
    (stepsPerLayer) => ({ stepsPerLayer }),
    (s) => s.model.kind === 'mlp',
  ),
  select(
    'training.loss',
    'loss',
    ['auto', 'mse', 'softmax-cross-entropy'],
    (s) => s.training.loss ?? 'auto',
    (d, v) => {
      const training = at(d, 'training');
      if (v === 'auto') delete training.loss;
      else training.loss = v;
    },
  ),
];

export const runFields: readonly SpecField[] = [
  {
    id: 'name',
    label: 'name',
    section: 'run',
    input: 'text',
    applies: () => true,
    get: (s) => s.name,
    set: (d, v) => {
      d.name = v;
    },
  },
  numberAt('seed', 'seed', (s) => s.seed, undefined, '1', 'run'),
  numberAt(
    'diagnostics.every',
    'full diagnostics every (steps)',
    (s) => s.diagnostics.every,
    undefined,
    '1',
    'run',
  ),
];
