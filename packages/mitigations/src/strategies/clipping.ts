import { defineMitigation, type Mitigation } from '../mitigation.js';

const CLIP_PROBLEM =
  "An exploding gradient turns into one enormous update that throws the weights far from where they were (the 'cliffs' of the loss surface of Pascanu et al. 2013), or overflows to Inf and NaN.";
const PASCANU =
  'Pascanu, Mikolov & Bengio (2013), On the difficulty of training recurrent neural networks, ICML.';
const CLIPS_NOTHING_SMALL =
  'It never scales a gradient up, so it does nothing for vanishing gradients; and it treats the symptom: the network still amplifies the gradient, clipping only caps the step.';

const positive = (name: string, description: string, example: number) =>
  ({ name, description, type: 'number', min: 0, exclusiveMin: true, example }) as const;

export const clippingStrategies: readonly Mitigation[] = [
  defineMitigation({
    name: 'clip-value',
    title: 'Gradient clipping by value',
    category: 'gradient-clipping',
    addresses: 'exploding',
    params: [positive('limit', 'largest absolute value of a gradient entry', 1)],
    problem: CLIP_PROBLEM,
    how: 'Between backprop and the update, every gradient entry is clamped to [-limit, limit] (Keras clipvalue, PyTorch clip_grad_value_). Entries inside the range are unchanged.',
    whenItDoesNotHelp: `It changes the direction of the update: large entries are cut, small ones kept, so the step no longer follows the gradient. The right limit depends on the parameterisation. ${CLIPS_NOTHING_SMALL}`,
    citation: `Mikolov (2012), Statistical language models based on neural networks, PhD thesis, Brno University of Technology; ${PASCANU}`,
    appliesTo: 'every model',
    sets: 'training.clip = { kind: "value", limit }',
    standalone: ['clipGradsByValue'],
    transform(draft, [limit]) {
      draft.training.clip = { kind: 'value', limit: limit as number };
    },
  }),
  defineMitigation({
    name: 'clip-norm',
    title: 'Gradient clipping by norm, per tensor',
    category: 'gradient-clipping',
    addresses: 'exploding',
    params: [positive('maxNorm', 'largest L2 norm of each gradient tensor', 1)],
    problem: CLIP_PROBLEM,
    how: "Each gradient tensor whose L2 norm exceeds maxNorm is rescaled to norm maxNorm, on its own (Keras clipnorm): afterwards each tensor's norm is min(maxNorm, its own norm), and its direction is kept.",
    whenItDoesNotHelp: `Tensors are clipped separately, so the balance between layers changes: the direction of the whole update is not kept (clip-global-norm keeps it). ${CLIPS_NOTHING_SMALL}`,
    citation: PASCANU,
    appliesTo: 'every model',
    sets: 'training.clip = { kind: "norm", maxNorm }',
    standalone: ['clipGradsByNorm'],
    transform(draft, [maxNorm]) {
      draft.training.clip = { kind: 'norm', maxNorm: maxNorm as number };
    },
  }),
  defineMitigation({
    name: 'clip-global-norm',
    title: 'Gradient clipping by global norm',
    category: 'gradient-clipping',
    addresses: 'exploding',
    params: [positive('maxNorm', 'largest L2 norm of all gradients together', 1)],
    problem: CLIP_PROBLEM,
    how: 'When the L2 norm of all gradients together exceeds maxNorm, all are multiplied by one factor, maxNorm / norm (PyTorch clip_grad_norm_, Keras global_clipnorm): the update keeps its direction and its length is capped. The run reports clip.preNorm, clip.postNorm and clip.clipped at every step.',
    whenItDoesNotHelp: `A NaN or Inf norm cannot be rescaled: stop instead (training.clip.errorIfNonFinite, or clipGradsByGlobalNormChecked). If the norm is always above maxNorm, training becomes normalised-gradient descent with an effective rate lr * maxNorm / norm. ${CLIPS_NOTHING_SMALL}`,
    citation: PASCANU,
    appliesTo: 'every model',
    sets: 'training.clip = { kind: "global-norm", maxNorm }',
    standalone: ['clipGradsByGlobalNorm', 'clipGradsByGlobalNormChecked'],
    transform(draft, [maxNorm]) {
      draft.training.clip = {
        kind: 'global-norm',
        maxNorm: maxNorm as number,
        errorIfNonFinite: false,
      };
    },
  }),
];
