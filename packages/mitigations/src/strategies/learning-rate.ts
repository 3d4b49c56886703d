import { defineMitigation, inapplicable, type Mitigation } from '../mitigation.js';

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
