import type { ExperimentSpec, Initializer } from '@gradlab/core';
import { defineMitigation, type Mitigation, type MitigationDefinition } from '../mitigation.js';

const PROBLEM =
  "The backward signal is multiplied at every layer (or time step) by the transposed weights: if a layer's weights amplify the signal's variance by more than the activation takes away, the gradient grows geometrically with depth (explodes); if by less, it shrinks (vanishes). The initialiser sets that factor for the start of training.";

const appliesToBoth =
  'MLPs (every dense layer, the output layer included) and recurrent nets (input and recurrent kernels)';

/**
 * Sets the initialiser of every kernel the spec lets choose: all dense layers of an MLP; the
 * input and the recurrent kernel of a recurrent net (`recurrentOnly`: the recurrent kernel).
 */
function setInit(draft: ExperimentSpec, init: Initializer, recurrentOnly = false): void {
  const model = draft.model;
  if (model.kind === 'mlp') {
    model.init = init;
    return;
  }
  model.recurrentInit = init;
  if (!recurrentOnly) model.init = init;
}

type InitDefinition = Omit<MitigationDefinition, 'category' | 'problem' | 'appliesTo' | 'sets'> & {
  readonly appliesTo?: string;
  readonly sets?: string;
};

const initStrategy = (d: InitDefinition): Mitigation =>
  defineMitigation({
    category: 'initialisation',
    problem: PROBLEM,
    appliesTo: appliesToBoth,
    sets: 'model.init (and model.recurrentInit of a recurrent net)',
    ...d,
  });

const HE =
  'He, Zhang, Ren & Sun (2015), Delving deep into rectifiers: surpassing human-level performance on ImageNet classification, ICCV.';
const GLOROT =
  'Glorot & Bengio (2010), Understanding the difficulty of training deep feedforward neural networks, AISTATS.';
const HE_FAILS =
  'It is derived for the relu family: with tanh or sigmoid it is too large and pushes units into saturation (use xavier-init). It only sets the starting point: training can drift away from it, and residual sums still grow the variance with depth.';
const XAVIER_FAILS =
  'It is derived for activations that are linear around 0 (tanh): a relu layer passes only half the variance, so in a deep relu network the signal halves layer after layer and vanishes (He et al. 2015 saw a 30-layer relu network with Xavier initialisation fail to train); sigmoid, not zero-centred, is not covered either.';

export const initStrategies: readonly Mitigation[] = [
  initStrategy({
    name: 'he-init',
    title: 'He (Kaiming) normal initialisation',
    addresses: 'both',
    how: 'Weights ~ N(0, 2 / ((1 + a^2) fan_in)), a the negative slope of a leaky-relu or prelu layer (0 for relu): a relu passes half the variance of its input, and the factor 2 restores it, so the variance of activations and gradients stays constant through the depth.',
    whenItDoesNotHelp: HE_FAILS,
    citation: HE,
    sets: 'model.init = "he-normal" (and model.recurrentInit of a recurrent net)',
    tfjs: "tf.layers.dense({ units, kernelInitializer: 'heNormal' })",
    transform: (draft) => setInit(draft, 'he-normal'),
  }),
  initStrategy({
    name: 'he-uniform',
    title: 'He (Kaiming) uniform initialisation',
    addresses: 'both',
    how: 'Weights ~ U(-l, l) with l = sqrt(6 / ((1 + a^2) fan_in)): the same variance as he-init, 2 / ((1 + a^2) fan_in), from a bounded distribution.',
    whenItDoesNotHelp: HE_FAILS,
    citation: HE,
    sets: 'model.init = "he-uniform" (and model.recurrentInit of a recurrent net)',
    tfjs: "tf.layers.dense({ units, kernelInitializer: 'heUniform' })",
    transform: (draft) => setInit(draft, 'he-uniform'),
  }),
  initStrategy({
    name: 'xavier-init',
    title: 'Xavier (Glorot) normal initialisation',
    addresses: 'both',
    how: 'Weights ~ N(0, 2 / (fan_in + fan_out)): the compromise between keeping the forward variance (1 / fan_in) and the backward variance (1 / fan_out) constant, for activations with slope 1 at the origin such as tanh.',
    whenItDoesNotHelp: XAVIER_FAILS,
    citation: GLOROT,
    sets: 'model.init = "xavier-normal" (and model.recurrentInit of a recurrent net)',
    tfjs: "tf.layers.dense({ units, kernelInitializer: 'glorotNormal' })",
    transform: (draft) => setInit(draft, 'xavier-normal'),
  }),
  initStrategy({
    name: 'xavier-uniform',
    title: 'Xavier (Glorot) uniform initialisation',
    addresses: 'both',
    how: "Weights ~ U(-l, l) with l = sqrt(6 / (fan_in + fan_out)): the variance of xavier-init, 2 / (fan_in + fan_out), from a bounded distribution (the form of the paper, and Keras's default).",
    whenItDoesNotHelp: XAVIER_FAILS,
    citation: GLOROT,
    sets: 'model.init = "xavier-uniform" (and model.recurrentInit of a recurrent net)',
    tfjs: "tf.layers.dense({ units, kernelInitializer: 'glorotUniform' })",
    transform: (draft) => setInit(draft, 'xavier-uniform'),
  }),
  initStrategy({
    name: 'lecun-init',
    title: 'LeCun normal initialisation',
    addresses: 'both',
    how: "Weights ~ N(0, 1 / fan_in): each unit's pre-activation has the variance of one input, which keeps the forward signal at unit scale for activations with slope about 1; the initialisation selu's self-normalising fixed point requires.",
    whenItDoesNotHelp:
      'With relu it halves the variance at every layer (use he-init); it balances the forward pass only, not the backward one when layers change width.',
    citation:
      'LeCun, Bottou, Orr & Muller (1998), Efficient BackProp; Klambauer et al. (2017), Self-normalizing neural networks, NeurIPS.',
    sets: 'model.init = "lecun-normal" (and model.recurrentInit of a recurrent net)',
    tfjs: "tf.layers.dense({ units, kernelInitializer: 'leCunNormal' })",
    transform: (draft) => setInit(draft, 'lecun-normal'),
  }),
  initStrategy({
    name: 'orthogonal-init',
    title: 'Orthogonal initialisation',
    addresses: 'both',
    how: 'Each kernel is a random orthogonal matrix (W^T W = I for a tall one, W W^T = I for a wide one): every singular value is 1, so a linear layer preserves the norm of every signal exactly, forwards and backwards. Deep linear networks then learn as fast as shallow ones (dynamical isometry); in a recurrent net, repeated multiplication by the recurrent kernel neither grows nor shrinks the gradient through time.',
    whenItDoesNotHelp:
      'Only the linear part is isometric: saturating activations still shrink the signal, and relu halves its variance (scale the kernel with a gain, or use he-init). Training moves the weights away from orthogonality. Building it costs O(n^3) per kernel.',
    citation:
      'Saxe, McClelland & Ganguli (2014), Exact solutions to the nonlinear dynamics of learning in deep linear neural networks, ICLR.',
    sets: 'model.init = "orthogonal" (and model.recurrentInit of a recurrent net)',
    tfjs: "tf.layers.dense({ units, kernelInitializer: 'orthogonal' })",
    transform: (draft) => setInit(draft, 'orthogonal'),
  }),
  initStrategy({
    name: 'identity-init',
    title: 'Identity initialisation (IRNN)',
    addresses: 'vanishing',
    how: 'Recurrent nets: the recurrent kernel starts as the identity (the input kernel is left as it is), so with relu the hidden state is copied from step to step and the gradient through time passes unchanged: the IRNN (use rnn+relu+identity-init). MLPs: every kernel starts as the identity (ones on the diagonal of a rectangular one), so each layer starts as the identity map of its input.',
    whenItDoesNotHelp:
      "With tanh or sigmoid the identity is still squashed at every step. With relu, training can push the recurrent kernel's eigenvalues above 1 and the gradient explodes (Le et al. used a small learning rate and gradient clipping). In an MLP, units beyond the shorter side of a kernel start with all-zero weights, and features are copied rather than mixed: breaking the symmetry is left to the data.",
    citation:
      'Le, Jaitly & Hinton (2015), A simple way to initialize recurrent networks of rectified linear units, arXiv:1504.00941.',
    appliesTo: 'recurrent nets (the recurrent kernel) and MLPs (every kernel)',
    sets: 'model.recurrentInit = "identity" (recurrent nets); model.init = "identity" (MLPs)',
    tfjs: "tf.layers.simpleRNN({ units, activation: 'relu', recurrentInitializer: 'identity' })",
    transform: (draft) => setInit(draft, 'identity', true),
  }),
  initStrategy({
    name: 'normal-init',
    title: 'Normal initialisation of a chosen scale',
    addresses: 'both',
    params: [
      {
        name: 'std',
        description: 'standard deviation of the weights',
        type: 'number',
        min: 0,
        exclusiveMin: true,
        max: 1000,
        example: 0.01,
      },
    ],
    how: "Weights ~ N(0, std^2) for every kernel: the control knob. A layer of width n multiplies the signal's scale by about std * sqrt(n) (times the activation's gain): pick std below 1 / sqrt(n) to watch the gradient vanish, above it to watch it explode.",
    whenItDoesNotHelp:
      'One std for every layer ignores fan-in and fan-out: when widths differ, no single value keeps every layer balanced (that is what he-init and xavier-init compute). The "small random weights" heuristic (std 0.01) is what made deep sigmoid networks vanish.',
    citation: GLOROT,
    sets: 'model.init = { kind: "normal", std } (and model.recurrentInit of a recurrent net)',
    tfjs: 'tf.layers.dense({ units, kernelInitializer: tf.initializers.randomNormal({ stddev: std }) })',
    transform: (draft, [std]) => setInit(draft, { kind: 'normal', std: std as number }),
  }),
  initStrategy({
    name: 'uniform-init',
    title: 'Uniform initialisation of a chosen scale',
    addresses: 'both',
    params: [
      {
        name: 'limit',
        description: 'weights are drawn from U(-limit, limit)',
        type: 'number',
        min: 0,
        exclusiveMin: true,
        max: 1000,
        example: 0.05,
      },
    ],
    how: 'Weights ~ U(-limit, limit), of variance limit^2 / 3, for every kernel: the bounded counterpart of normal-init, for setting the scale by hand.',
    whenItDoesNotHelp:
      'Like normal-init, one scale for every layer ignores fan-in and fan-out; the common U(-1/sqrt(n), 1/sqrt(n)) heuristic makes the variance shrink layer by layer (Glorot & Bengio 2010).',
    citation: GLOROT,
    sets: 'model.init = { kind: "uniform", limit } (and model.recurrentInit of a recurrent net)',
    tfjs: 'tf.layers.dense({ units, kernelInitializer: tf.initializers.randomUniform({ minval: -limit, maxval: limit }) })',
    transform: (draft, [limit]) => setInit(draft, { kind: 'uniform', limit: limit as number }),
  }),
  initStrategy({
    name: 'constant-init',
    title: 'Constant initialisation (a control)',
    addresses: 'both',
    params: [
      {
        name: 'value',
        description: 'the value of every weight',
        type: 'number',
        min: -1000,
        max: 1000,
        example: 0.01,
      },
    ],
    how: 'Every weight = value. It fixes the scale exactly, and shows the symmetry problem: all units of a layer compute the same function and receive the same gradient, so they stay identical.',
    whenItDoesNotHelp:
      'It is a control, not a cure: a layer of identical units has the capacity of a single unit, whatever its width (random initialisation exists to break this symmetry, Rumelhart et al. 1986). With value 0 no backward signal gets past the output layer.',
    citation:
      'Rumelhart, Hinton & Williams (1986), Learning representations by back-propagating errors, Nature 323.',
    sets: 'model.init = { kind: "constant", value } (and model.recurrentInit of a recurrent net)',
    tfjs: 'tf.layers.dense({ units, kernelInitializer: tf.initializers.constant({ value }) })',
    transform: (draft, [value]) => setInit(draft, { kind: 'constant', value: value as number }),
  }),
];
