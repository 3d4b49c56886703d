import { defineMitigation, type Mitigation } from '../mitigation.js';

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
