import { defineMitigation, inapplicable, type Mitigation, requireMlp } from '../mitigation.js';

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

const LR_PROBLEM =
  'The update is the learning rate times the gradient: a gradient that grows turns into a diverging step unless the rate is small enough, and a gradient that shrinks turns into no learning unless the rate is large enough.';
const SCHEDULE_SETS = '(keeps training.schedule.warmupSteps)';

export const learningRateStrategies: readonly Mitigation[] = [
  defineMitigation({
    name: 'lr',
    title: 'Learning rate',
    category: 'learning-rate',
    addresses: 'both',
    params: [
      {
        name: 'value',
        description: "the optimiser's base learning rate",
        type: 'number',
        min: 0,
        exclusiveMin: true,
        max: 100,
        example: 0.001,
      },
    ],
    problem: LR_PROBLEM,
    how: "Sets the optimiser's base learning rate (schedules scale it). A smaller rate bounds the damage one large gradient can do; a larger one speeds up layers whose gradient is small.",
    whenItDoesNotHelp:
      'One rate serves every layer: when their gradients differ by orders of magnitude (the very symptom of vanishing or exploding gradients), a rate small enough for the exploding layers leaves the vanishing ones frozen. Use adam, or fix the gradient flow.',
    citation:
      'Bengio (2012), Practical recommendations for gradient-based training of deep architectures, Neural Networks: Tricks of the Trade.',
    appliesTo: 'every model',
    sets: 'training.optimizer.lr = value',
    tfjs: 'tf.train.adam(value), tf.train.sgd(value)',
    transform(draft, [value]) {
      draft.training.optimizer.lr = value as number;
    },
  }),
  defineMitigation({
    name: 'step-decay',
    title: 'Step decay of the learning rate',
    category: 'learning-rate',
    addresses: 'exploding',
    params: [
      {
        name: 'every',
        description: 'steps between two decays',
        type: 'integer',
        min: 1,
        max: 1_000_000,
        example: 100,
      },
      {
        name: 'factor',
        description: 'multiplies the rate at each decay',
        type: 'number',
        min: 0,
        exclusiveMin: true,
        max: 1,
        default: 0.1,
      },
    ],
    problem: LR_PROBLEM,
    how: 'The rate is lr * factor^floor(t / every): a large rate early, then smaller and smaller steps, so late training is not thrown off by an occasional large gradient.',
    whenItDoesNotHelp:
      'It does nothing about the first steps, where the gradient is often largest (add warmup). It cannot revive a vanished gradient; decaying too early freezes training.',
    citation:
      'He, Zhang, Ren & Sun (2016), Deep residual learning for image recognition, CVPR (the rate divided by 10 at fixed steps).',
    appliesTo: 'every model',
    sets: `training.schedule = { kind: "step", every, factor } ${SCHEDULE_SETS}`,
    standalone: ['createLrScheduler'],
    transform(draft, [every, factor]) {
      draft.training.schedule = {
        kind: 'step',
        every: every as number,
        factor: factor as number,
        warmupSteps: draft.training.schedule.warmupSteps,
      };
    },
  }),
  defineMitigation({
    name: 'exp-decay',
    title: 'Exponential decay of the learning rate',
    category: 'learning-rate',
    addresses: 'exploding',
    params: [
      {
        name: 'rate',
        description: 'multiplies the learning rate at every step',
        type: 'number',
        min: 0,
        exclusiveMin: true,
        max: 1,
        example: 0.99,
      },
    ],
    problem: LR_PROBLEM,
    how: 'The rate is lr * rate^t: it shrinks smoothly, by the same factor at every step, so updates get smaller as training proceeds.',
    whenItDoesNotHelp:
      'The rate goes to zero whatever happens: too fast a decay stops training before it converges, and it never revives a vanished gradient.',
    citation:
      'Senior, Heigold, Ranzato & Yang (2013), An empirical study of learning rates in deep neural networks for speech recognition, ICASSP.',
    appliesTo: 'every model',
    sets: `training.schedule = { kind: "exponential", rate, every: 1 } ${SCHEDULE_SETS}`,
    standalone: ['createLrScheduler'],
    transform(draft, [rate]) {
      draft.training.schedule = {
        kind: 'exponential',
        rate: rate as number,
        every: 1,
        warmupSteps: draft.training.schedule.warmupSteps,
      };
    },
  }),
  defineMitigation({
    name: 'warmup',
    title: 'Learning-rate warm-up',
    category: 'learning-rate',
    addresses: 'exploding',
    params: [
      {
        name: 'steps',
        description: 'steps over which the rate grows to lr',
        type: 'integer',
        min: 1,
        max: 1_000_000,
        example: 10,
      },
    ],
    problem: LR_PROBLEM,
    how: "The rate grows linearly from lr / steps to lr over the first steps, then the schedule (constant, step, exponential or cosine) takes over: the first updates, made with the largest and least reliable gradients (and Adam's still poor second-moment estimates), stay small.",
    whenItDoesNotHelp:
      'It only protects the start; a gradient that explodes later is not affected. A warm-up as long as the run never reaches the full rate. It cannot fix a network whose gradient vanishes.',
    citation:
      'Goyal et al. (2017), Accurate, large minibatch SGD: training ImageNet in 1 hour, arXiv:1706.02677.',
    appliesTo: 'every model',
    sets: "training.schedule.warmupSteps = steps (keeps the schedule's kind)",
    standalone: ['createLrScheduler'],
    transform(draft, [steps]) {
      const n = steps as number;
      if (n >= draft.training.steps) {
        throw inapplicable(
          'warmup',
          `a warm-up of ${n} steps is not shorter than the run (${draft.training.steps} steps): the rate would never reach lr`,
        );
      }
      draft.training.schedule.warmupSteps = n;
    },
  }),
  defineMitigation({
    name: 'cosine',
    title: 'Cosine annealing of the learning rate',
    category: 'learning-rate',
    addresses: 'exploding',
    params: [
      {
        name: 'minLr',
        description: 'the rate at the end of the run',
        type: 'number',
        min: 0,
        max: 100,
        default: 0,
      },
    ],
    problem: LR_PROBLEM,
    how: 'The rate follows half a cosine from lr down to minLr over the run (after any warm-up): minLr + (lr - minLr)(1 + cos(pi t / T)) / 2. Large steps early, small steps late, without the jumps of step decay.',
    whenItDoesNotHelp:
      "Like every decay it only shrinks steps: it does not revive vanished gradients, and it does not protect the first steps (add warmup). The period is the run's length: stopping early leaves the rate high.",
    citation:
      'Loshchilov & Hutter (2017), SGDR: Stochastic gradient descent with warm restarts, ICLR.',
    appliesTo: 'every model',
    sets: `training.schedule = { kind: "cosine", minLr } ${SCHEDULE_SETS}`,
    standalone: ['createLrScheduler'],
    transform(draft, [minLr]) {
      const lr = draft.training.optimizer.lr;
      if ((minLr as number) >= lr) {
        throw inapplicable(
          'cosine',
          `minLr (${minLr}) must be below the optimiser's learning rate (${lr}), or the rate would not decay`,
        );
      }
      draft.training.schedule = {
        kind: 'cosine',
        minLr: minLr as number,
        warmupSteps: draft.training.schedule.warmupSteps,
      };
    },
  }),
];

export const optimiserStrategies: readonly Mitigation[] = [
  defineMitigation({
    name: 'sgd',
    title: 'Plain stochastic gradient descent (the baseline)',
    category: 'optimiser',
    addresses: 'both',
    problem:
      'Plain SGD moves every weight by lr times its gradient: a layer whose gradient vanished does not move, a layer whose gradient exploded jumps.',
    how: 'w <- w - lr * g, keeping the learning rate. Switching back to it shows what the gradient flow alone does, without an optimiser that rescales it.',
    whenItDoesNotHelp:
      'It mitigates nothing by itself: it is the baseline that momentum and adam are compared against.',
    citation:
      'Robbins & Monro (1951), A stochastic approximation method, Annals of Mathematical Statistics.',
    appliesTo: 'every model',
    sets: 'training.optimizer = { kind: "sgd", lr } (keeps lr)',
    tfjs: 'tf.train.sgd(lr)',
    transform(draft) {
      draft.training.optimizer = { kind: 'sgd', lr: draft.training.optimizer.lr };
    },
  }),
  defineMitigation({
    name: 'momentum',
    title: 'SGD with momentum',
    category: 'optimiser',
    addresses: 'vanishing',
    params: [
      {
        name: 'm',
        description: 'momentum coefficient',
        type: 'number',
        min: 0,
        max: 0.9999,
        default: 0.9,
      },
    ],
    problem:
      'With a small, consistent gradient (the early layers of a network whose gradient fades) plain SGD crawls; along directions where the gradient oscillates it zig-zags.',
    how: 'A velocity accumulates the gradients, v <- m v + g, and the weights move by lr * v: a consistent small gradient adds up to steps up to 1 / (1 - m) times larger (10x for m = 0.9), while oscillating components cancel.',
    whenItDoesNotHelp:
      'It amplifies consistent gradients of every size, exploding ones included, and a gradient that is truly zero stays zero. Too high a momentum overshoots.',
    citation:
      'Polyak (1964), Some methods of speeding up the convergence of iteration methods; Sutskever, Martens, Dahl & Hinton (2013), On the importance of initialization and momentum in deep learning, ICML.',
    appliesTo: 'every model',
    sets: 'training.optimizer = { kind: "momentum", lr, momentum: m } (keeps lr)',
    tfjs: 'tf.train.momentum(lr, m)',
    transform(draft, [m]) {
      draft.training.optimizer = {
        kind: 'momentum',
        lr: draft.training.optimizer.lr,
        momentum: m as number,
      };
    },
  }),
  defineMitigation({
    name: 'adam',
    title: 'Adam',
    category: 'optimiser',
    addresses: 'both',
    problem:
      'When layer gradients differ by orders of magnitude, one learning rate cannot suit them all: the vanishing layers freeze while the exploding ones diverge.',
    how: "Each weight moves by lr * m / (sqrt(v) + eps), m and v running averages of its gradient and squared gradient (bias-corrected): the step is about lr whatever the gradient's scale, so a layer whose gradient is 1e-6 moves about as fast as one whose gradient is 1e3.",
    whenItDoesNotHelp:
      'Scale invariance hides the flow rather than fixing it: a gradient that underflowed to 0 or became NaN is still lost, and gradients far below eps (1e-7) give smaller steps. Early estimates of v are noisy: pair it with warmup. It can generalise worse than SGD.',
    citation: 'Kingma & Ba (2015), Adam: a method for stochastic optimization, ICLR.',
    appliesTo: 'every model',
    sets: 'training.optimizer = { kind: "adam", lr } (keeps lr)',
    tfjs: 'tf.train.adam(lr)',
    transform(draft) {
      const current = draft.training.optimizer;
      if (current.kind === 'adam') return;
      // Keras's and tfjs's defaults, as the spec's.
      draft.training.optimizer = {
        kind: 'adam',
        lr: current.lr,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
      };
    },
  }),
];

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

export const pretrainingStrategies: readonly Mitigation[] = [
  defineMitigation({
    name: 'pretrain',
    title: 'Greedy layer-wise pre-training',
    category: 'pre-training',
    addresses: 'vanishing',
    params: [
      {
        name: 'stepsPerLayer',
        description: 'pre-training steps of each hidden layer',
        type: 'integer',
        min: 1,
        max: 100_000,
        default: 100,
      },
    ],
    problem:
      'In a deep network trained end to end, the first layers learn from a gradient that has crossed every other layer and may have vanished on the way: they stay close to their random initialisation.',
    how: 'Before training, each hidden layer in turn is trained alone as the encoder of an autoencoder that reconstructs its own input (the data passed through the layers already pre-trained), with a linear decoder that is then thrown away. Every layer starts fine-tuning with useful features, learned without a gradient that had to cross the whole network.',
    whenItDoesNotHelp:
      'It gives a better start, not a better gradient flow: if the architecture vanishes, fine-tuning still does. It costs stepsPerLayer steps per hidden layer, and ignores skip connections. Relu, good initialisation and normalisation made it unnecessary for most networks. MLPs only.',
    citation:
      'Hinton, Osindero & Teh (2006), A fast learning algorithm for deep belief nets, Neural Computation; Bengio, Lamblin, Popovici & Larochelle (2007), Greedy layer-wise training of deep networks, NeurIPS.',
    appliesTo: 'MLPs',
    sets: 'training.pretraining = { stepsPerLayer, lr: 0.01 }',
    transform(draft, [stepsPerLayer]) {
      requireMlp(
        'pretrain',
        draft,
        'layer-wise pre-training trains hidden layers of an MLP one by one; a recurrent cell is a single layer',
      );
      draft.training.pretraining = {
        stepsPerLayer: stepsPerLayer as number,
        lr: draft.training.pretraining?.lr ?? 0.01,
      };
    },
  }),
];
