import { defineMitigation, type Mitigation } from '../mitigation.js';

/** The one argument of the weight penalties. */
const LAMBDA = {
  name: 'lambda',
  description: 'weight of the penalty',
  type: 'number',
  min: 0,
  exclusiveMin: true,
  max: 100,
  example: 0.0001,
} as const;

const REG_PROBLEM =
  'The backward signal is multiplied by every kernel it crosses: kernels that grow during training raise that product, and with it the risk of exploding gradients.';

export const regularisationStrategies: readonly Mitigation[] = [
  defineMitigation({
    name: 'l1',
    title: 'L1 weight penalty',
    category: 'regularisation',
    addresses: 'exploding',
    params: [LAMBDA],
    problem: REG_PROBLEM,
    how: 'Adds lambda * sum |W| over the kernels (not biases or normalisation parameters) to the loss: its gradient, lambda * sign(W), pulls every weight toward 0 by a constant amount, driving small weights to exactly 0 and keeping the kernels small and sparse.',
    whenItDoesNotHelp:
      'Smaller weights also mean a smaller signal: too large a lambda makes the gradient vanish. It acts slowly, over many steps, so it cannot stop a sudden explosion (clip for that).',
    citation:
      'Tibshirani (1996), Regression shrinkage and selection via the lasso, Journal of the Royal Statistical Society B.',
    appliesTo: 'every model (its kernels)',
    sets: 'training.regularization.l1 = lambda',
    standalone: ['weightPenalty'],
    tfjs: 'tf.layers.dense({ units, kernelRegularizer: tf.regularizers.l1({ l1: lambda }) })',
    transform(draft, [lambda]) {
      draft.training.regularization.l1 = lambda as number;
    },
  }),
  defineMitigation({
    name: 'l2',
    title: 'L2 weight penalty (weight decay)',
    category: 'regularisation',
    addresses: 'exploding',
    params: [LAMBDA],
    problem: REG_PROBLEM,
    how: 'Adds lambda * sum W^2 over the kernels (not biases or normalisation parameters) to the loss: its gradient, 2 * lambda * W, shrinks every weight in proportion to its size, keeping the norms of the kernels, and so the factor by which they multiply the backward signal, bounded.',
    whenItDoesNotHelp:
      "Too strong, it shrinks the signal until the gradient vanishes. It acts over many steps and cannot stop a sudden explosion. With Adam the penalty's gradient is rescaled like any other, so it is not true weight decay (Loshchilov & Hutter 2019).",
    citation:
      'Krogh & Hertz (1992), A simple weight decay can improve generalization, NeurIPS; Pascanu, Mikolov & Bengio (2013), On the difficulty of training recurrent neural networks, ICML.',
    appliesTo: 'every model (its kernels)',
    sets: 'training.regularization.l2 = lambda',
    standalone: ['weightPenalty'],
    tfjs: 'tf.layers.dense({ units, kernelRegularizer: tf.regularizers.l2({ l2: lambda }) })',
    transform(draft, [lambda]) {
      draft.training.regularization.l2 = lambda as number;
    },
  }),
  defineMitigation({
    name: 'weight-clip',
    title: 'Weight clipping (WGAN)',
    category: 'regularisation',
    addresses: 'exploding',
    params: [
      {
        name: 'limit',
        description: 'largest absolute value of a weight',
        type: 'number',
        min: 0,
        exclusiveMin: true,
        example: 0.01,
      },
    ],
    problem: REG_PROBLEM,
    how: 'After every update, every trainable weight is clamped to [-limit, limit]. This bounds the WEIGHTS, and so the Lipschitz constant of every layer and of the network (the reason WGAN critics use it), whatever the gradients do. That is not the same as bounding the GRADIENTS: gradient clipping caps the size of one update but lets the weights go anywhere over many steps; weight clipping caps where the weights can be but leaves the gradient, computed from the clipped weights, unbounded: it can still vanish or explode.',
    whenItDoesNotHelp:
      'The gradient is not bounded, only the weights: Gulrajani et al. (2017) show that WGAN critics with weight clipping suffer vanishing or exploding gradients depending on the limit (too small: every layer contracts the signal and it vanishes). Weights pinned at the limit stop learning, and capacity is lost.',
    citation:
      'Arjovsky, Chintala & Bottou (2017), Wasserstein generative adversarial networks, ICML; Gulrajani, Ahmed, Arjovsky, Dumoulin & Courville (2017), Improved training of Wasserstein GANs, NeurIPS.',
    appliesTo: 'every model (all trainable weights)',
    sets: 'training.weightClip = { limit }',
    standalone: ['clipWeights'],
    transform(draft, [limit]) {
      draft.training.weightClip = { limit: limit as number };
    },
  }),
];
