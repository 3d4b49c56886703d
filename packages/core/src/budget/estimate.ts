import type { Activation, ExperimentSpec, MlpSpec, RecurrentSpec } from '../spec/schema.js';
import { dataShapes } from './shapes.js';

const FLOAT_BYTES = 4;
/** Examples the end-of-run evaluation forwards at once (train/evaluate.ts). */
const EVALUATION_SAMPLES = 1024;
/** Gate blocks per recurrent cell (model/recurrent.ts). */
const GATES = { rnn: 1, lstm: 4, gru: 3 } as const;

/**
 * Floats a training step keeps per example and hidden unit, on a full-diagnostics step: the
 * matMul, the biased pre-activation, the activation, the probe and the probed state, the
 * backpropagated gradients of the last two, and what the statistics read. Measured against
 * tf.profile's peak (budget tests), not derived: the estimate is a bound for refusing runs
 * that cannot fit, not an exact account.
 */
const MLP_UNIT_FLOATS = 13;
/** BatchNorm/LayerNorm's extras per unit: centred, normalised, scaled, shifted, squared, and their gradients. */
const NORM_UNIT_FLOATS = 12;
/** Intermediates an activation makes beyond its output (gelu's polynomial, elu's exp...). */
const ACTIVATION_UNIT_FLOATS: Readonly<Record<Activation, number>> = {
  linear: 0,
  relu: 1,
  'leaky-relu': 3,
  prelu: 4,
  sigmoid: 2,
  tanh: 2,
  elu: 5,
  selu: 6,
  gelu: 12,
};
/** Per example, hidden unit and time step: the cell's ops and their gradients. */
const RECURRENT_UNIT_FLOATS = { rnn: 16, lstm: 60, gru: 56 } as const;
/**
 * Copies of the parameters a full step makes besides weights and gradients: the kernels kept
 * to measure the update, the update itself, the optimiser's new values before assignment.
 */
const STEP_PARAMETER_COPIES = 3;
/**
 * Nominal throughput of the time estimate: a few CPU cores running tfjs kernels. Accelerated
 * backends run faster; the figure orders runs by cost, it does not promise a wall time.
 */
export const NOMINAL_FLOPS_PER_SECOND = 1e10;

export interface BudgetEstimate {
  /** Trainable parameters: what `model.variables` holds, exactly. */
  readonly parameters: number;
  /** Non-trainable state (BatchNorm running mean and variance). */
  readonly stateValues: number;
  readonly bytes: {
    /** Weights and non-trainable state. */
    readonly parameters: number;
    readonly gradients: number;
    /** Optimiser slots (momentum: 1 per parameter, Adam: 2) and a step's parameter copies. */
    readonly optimizer: number;
    /** A training step's activations kept for backprop, or the evaluation's, the larger. */
    readonly activations: number;
    /** The data set, on the host and uploaded once. */
    readonly data: number;
    readonly total: number;
  };
  /** Floating-point operations of one training step (forward and backward matrix products). */
  readonly flopsPerStep: number;
  /** flopsPerStep x steps at NOMINAL_FLOPS_PER_SECOND. */
  readonly nominalSeconds: number;
}

interface ModelCost {
  readonly parameters: number;
  readonly stateValues: number;
  /** Kernel parameters: what a full step copies to measure the update. */
  readonly kernelParameters: number;
  readonly trainFloatsPerExample: number;
  readonly evalFloatsPerExample: number;
  readonly forwardFlopsPerExample: number;
}

function setting<T>(value: T | readonly T[], index: number): T {
  return Array.isArray(value) ? (value[index] as T) : (value as T);
}

/** The layer structure of model/mlp.ts, counted rather than built. */
function mlpCost(spec: MlpSpec, inputSize: number, outputSize: number): ModelCost {
  const hidden = spec.depth - 1;
  const widthOf = (l: number) => setting<number>(spec.width, l);
  const fanInOf = (l: number) => (l === 0 ? inputSize : widthOf(l - 1));
  const every = spec.residual?.every ?? 0;
  const blockEnd = (l: number) => every > 0 && l >= 1 && l % every === 0;
  const normed = spec.norm !== 'none';
  let parameters = 0;
  let kernelParameters = 0;
  let stateValues = 0;
  let train = inputSize;
  let evaluation = inputSize;
  let flops = 0;
  for (let l = 0; l <= hidden; l++) {
    const fanIn = fanInOf(l);
    const fanOut = l === hidden ? outputSize : widthOf(l);
    parameters += fanIn * fanOut + fanOut;
    kernelParameters += fanIn * fanOut;
    flops += 2 * fanIn * fanOut;
    if (l === hidden) {
      // Output, softmax or squared error, and their gradients.
      train += 4 * fanOut;
      evaluation += 2 * fanOut;
      continue;
    }
    const activation = setting<Activation>(spec.activation, l);
    if (normed) parameters += 2 * fanOut;
    if (spec.norm === 'batchnorm') stateValues += 2 * fanOut;
    if (activation === 'prelu') parameters += fanOut;
    let units = MLP_UNIT_FLOATS + ACTIVATION_UNIT_FLOATS[activation];
    if (normed) units += NORM_UNIT_FLOATS;
    if (blockEnd(l)) {
      const startIn = fanInOf(l - every + 1);
      units += 2; // the sum with the skip path, and its gradient
      if (startIn !== fanOut) {
        parameters += startIn * fanOut;
        flops += 2 * startIn * fanOut;
        units += 2;
      }
    }
    train += units * fanOut;
    evaluation += (normed ? 6 : 2) * fanOut;
  }
  return {
    parameters,
    stateValues,
    kernelParameters,
    trainFloatsPerExample: train,
    evalFloatsPerExample: evaluation,
    forwardFlopsPerExample: flops,
  };
}

/** The cell of model/recurrent.ts over `steps` time steps, counted rather than built. */
function recurrentCost(
  spec: RecurrentSpec,
  features: number,
  steps: number,
  outputSize: number,
): ModelCost {
  const h = spec.hiddenSize;
  const g = GATES[spec.kind];
  const kernelParameters = features * g * h + h * g * h + h * outputSize;
  const parameters = kernelParameters + g * h + outputSize;
  // Per time step: the input projection (matMul, bias, unstacked), the cell, the captured state.
  const perStep = 6 * g * h + RECURRENT_UNIT_FLOATS[spec.kind] * h + features;
  return {
    parameters,
    stateValues: 0,
    kernelParameters,
    trainFloatsPerExample: steps * perStep + 4 * outputSize,
    evalFloatsPerExample: steps * (perStep / 2) + 2 * outputSize,
    forwardFlopsPerExample: 2 * steps * (features * g * h + h * g * h) + 2 * h * outputSize,
  };
}

const OPTIMIZER_SLOTS = { sgd: 0, momentum: 1, adam: 2 } as const;

/**
 * What a run of this spec will hold, from the spec alone: nothing is allocated, so a run that
 * cannot fit is refused before it starts rather than killed halfway through.
 */
export function estimateBudget(spec: ExperimentSpec): BudgetEstimate {
  const shapes = dataShapes(spec.data);
  const inputSize = shapes.xShape[shapes.xShape.length - 1] as number;
  const outputSize = shapes.yShape[0] as number;
  const model =
    spec.model.kind === 'mlp'
      ? mlpCost(spec.model, inputSize, outputSize)
      : recurrentCost(spec.model, inputSize, shapes.xShape[0] as number, outputSize);
  const batch = spec.training.batchSize;
  const evaluated = Math.min(EVALUATION_SAMPLES, shapes.samples);
  const P = model.parameters;
  const copies =
    OPTIMIZER_SLOTS[spec.training.optimizer.kind] * P +
    STEP_PARAMETER_COPIES * model.kernelParameters +
    (spec.training.clip ? P : 0);
  const perSample =
    shapes.xShape.reduce((a, b) => a * b, 1) + shapes.yShape.reduce((a, b) => a * b, 1);
  const bytes = {
    parameters: (P + model.stateValues) * FLOAT_BYTES,
    gradients: P * FLOAT_BYTES,
    optimizer: copies * FLOAT_BYTES,
    activations:
      Math.max(batch * model.trainFloatsPerExample, evaluated * model.evalFloatsPerExample) *
      FLOAT_BYTES,
    // Generated on the host, then uploaded whole (train/run.ts): two copies.
    data: 2 * shapes.samples * perSample * FLOAT_BYTES,
  };
  const total = Object.values(bytes).reduce((a, b) => a + b, 0);
  // Backward: two matrix products per forward one (the input's and the weights' gradients).
  const flopsPerStep = 3 * batch * model.forwardFlopsPerExample;
  return {
    parameters: P,
    stateValues: model.stateValues,
    bytes: { ...bytes, total },
    flopsPerStep,
    nominalSeconds: (flopsPerStep * spec.training.steps) / NOMINAL_FLOPS_PER_SECOND,
  };
}
