import {
  type ExperimentSpecInput,
  parseSpec,
  type RunResult,
  runExperiment,
  type StepDiagnostics,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Mismatches } from './compare.js';
import type { KitContext } from './context.js';
import type { MODEL_TESTS } from './ids.js';

export type ModelTestId = (typeof MODEL_TESTS)[number];

/** What a run reported at one step. */
export interface Logged {
  readonly step: number;
  readonly loss: number;
  readonly diagnostics: StepDiagnostics | null;
}

export interface LoggedRun {
  readonly result: RunResult;
  readonly steps: readonly Logged[];
}

/** Runs an experiment on the active backend, keeping every step event. */
export async function runLogged(input: ExperimentSpecInput): Promise<LoggedRun> {
  const steps: Logged[] = [];
  const result = await runExperiment(parseSpec(input), {
    listeners: [
      (e) => {
        if (e.type === 'step')
          steps.push({ step: e.step, loss: e.loss, diagnostics: e.diagnostics });
      },
    ],
  });
  if (result.status !== 'complete') {
    throw new Error(`the run ended ${result.status}${result.error ? `: ${result.error}` : ''}`);
  }
  return { result, steps };
}

const teacher = (task: 'regression' | 'classification', outputSize: number) =>
  ({ kind: 'teacher', task, inputSize: 6, outputSize, samples: 64 }) as const;

const adding = { kind: 'adding', length: 6, samples: 64 } as const;

/** Full diagnostics on steps 1, 3, 5 and 6: the signal profile is compared four times. */
const training = (optimizer: NonNullable<ExperimentSpecInput['training']>['optimizer']) => ({
  steps: 6,
  batchSize: 8,
  optimizer,
});
const diagnostics = { every: 2 };

/** The training runs of 'model/<family>': tiny, a few steps, every layer kind gradlab has. */
export const MODEL_SPECS: Readonly<Record<ModelTestId, ExperimentSpecInput>> = {
  'model/mlp': {
    gradlab: 1,
    seed: 11,
    data: teacher('regression', 3),
    model: { kind: 'mlp', depth: 4, width: 8, activation: 'tanh', init: 'xavier-normal' },
    training: training({ kind: 'sgd', lr: 0.05 }),
    diagnostics,
  },
  'model/residual': {
    gradlab: 1,
    seed: 12,
    data: teacher('regression', 2),
    // Blocks of two hidden layers: 8 -> 8 (identity skip) and 8 -> 12 (projected skip).
    model: {
      kind: 'mlp',
      depth: 6,
      width: [8, 8, 8, 12, 12],
      activation: 'relu',
      init: 'he-normal',
      residual: { every: 2 },
    },
    training: training({ kind: 'momentum', lr: 0.02 }),
    diagnostics,
  },
  'model/batchnorm': {
    gradlab: 1,
    seed: 13,
    data: teacher('classification', 4),
    model: { kind: 'mlp', depth: 4, width: 8, activation: 'tanh', norm: 'batchnorm' },
    // Not Adam: the hidden biases' gradient is rounding noise (BatchNorm cancels them), which
    // Adam would scale up to full steps in a direction that differs between backends; the
    // inference-mode evaluation, whose running mean follows the biases, would then differ too.
    training: training({ kind: 'momentum', lr: 0.05 }),
    diagnostics,
  },
  'model/layernorm': {
    gradlab: 1,
    seed: 14,
    data: teacher('regression', 2),
    model: { kind: 'mlp', depth: 4, width: 8, activation: 'gelu', norm: 'layernorm' },
    training: training({ kind: 'adam', lr: 0.005 }),
    diagnostics,
  },
  'model/prelu': {
    gradlab: 1,
    seed: 15,
    data: teacher('classification', 3),
    model: { kind: 'mlp', depth: 4, width: 8, activation: 'prelu', init: 'he-normal' },
    training: training({ kind: 'sgd', lr: 0.05 }),
    diagnostics,
  },
  'model/rnn': {
    gradlab: 1,
    seed: 20,
    data: adding,
    model: { kind: 'rnn', hiddenSize: 6 },
    training: training({ kind: 'sgd', lr: 0.05 }),
    diagnostics,
  },
  'model/lstm': {
    gradlab: 1,
    seed: 21,
    data: adding,
    model: { kind: 'lstm', hiddenSize: 6 },
    training: training({ kind: 'sgd', lr: 0.05 }),
    diagnostics,
  },
  'model/gru': {
    gradlab: 1,
    seed: 22,
    data: adding,
    model: { kind: 'gru', hiddenSize: 6 },
    training: training({ kind: 'adam', lr: 0.01 }),
    diagnostics,
  },
};

/** 'training/mitigations': every mitigation the loop runs itself, each binding. */
export const MITIGATIONS_SPEC: ExperimentSpecInput = {
  gradlab: 1,
  seed: 16,
  data: teacher('regression', 2),
  model: { kind: 'mlp', depth: 4, width: 8, activation: 'tanh', init: 'xavier-normal' },
  training: {
    steps: 8,
    batchSize: 8,
    optimizer: { kind: 'adam', lr: 0.02 },
    schedule: { kind: 'cosine', warmupSteps: 3, minLr: 0.001 },
    // Small enough that every step is clipped.
    clip: { kind: 'global-norm', maxNorm: 0.05 },
    regularization: { l2: 1e-3 },
    // xavier-normal 6 -> 8 has std 0.38: the limit binds from the first update.
    weightClip: { limit: 0.3 },
  },
  diagnostics: { every: 3 },
};

/**
 * Compares two runs of the same spec step by step: the losses, the global gradient norm, each
 * layer's kernel and bias gradient norms and weight norm, the transforms' telemetry, and on
 * full-diagnostic steps the backpropagated signal profile; then the final evaluation. Gradient
 * norms that are mathematically zero are compared against the zero floor of the step's global
 * gradient norm, signal norms against that of the profile's largest norm.
 */
export function compareRuns(m: Mismatches, expected: LoggedRun, actual: LoggedRun): void {
  if (expected.steps.length !== actual.steps.length) {
    m.add(
      `${expected.steps.length} steps logged on ${m.labels.expected}, ${actual.steps.length} on ${m.labels.actual}`,
    );
    return;
  }
  let fullSteps = 0;
  expected.steps.forEach((e, i) => {
    const a = actual.steps[i] as Logged;
    const at = `step ${e.step}`;
    if (a.step !== e.step) m.add(`${at}: logged as step ${a.step} on ${m.labels.actual}`);
    m.scalar(`${at} loss`, e.loss, a.loss);
    const ed = e.diagnostics;
    const ad = a.diagnostics;
    if (!ed || !ad) {
      m.add(
        `${at}: no diagnostics (${m.labels.expected}: ${Boolean(ed)}, ${m.labels.actual}: ${Boolean(ad)})`,
      );
      return;
    }
    if (ed.full !== ad.full) {
      m.add(`${at}: full diagnostics on one backend only`);
      return;
    }
    const global = ed.globalGradNorm;
    m.scalar(`${at} diagnostics loss`, ed.loss, ad.loss);
    m.scalar(`${at} global gradient norm`, global, ad.globalGradNorm);
    const names = ed.layers.map((l) => l.name).join(',');
    if (ad.layers.map((l) => l.name).join(',') !== names) {
      m.add(
        `${at}: layers [${ad.layers.map((l) => l.name)}] on ${m.labels.actual}, [${names}] on ${m.labels.expected}`,
      );
      return;
    }
    ed.layers.forEach((el, j) => {
      const al = ad.layers[j] as (typeof ad.layers)[number];
      if (!(el.gradNorm > 0)) {
        m.add(
          `${at} ${el.name}: the oracle's gradient norm is ${el.gradNorm}; the test spec is wrong`,
        );
      }
      m.scalar(`${at} ${el.name} gradNorm`, el.gradNorm, al.gradNorm, global);
      m.scalar(`${at} ${el.name} biasGradNorm`, el.biasGradNorm, al.biasGradNorm, global);
      m.scalar(`${at} ${el.name} weightNorm`, el.weightNorm, al.weightNorm);
    });
    const keys = Object.keys(ed.telemetry).sort();
    if (Object.keys(ad.telemetry).sort().join(',') !== keys.join(',')) {
      m.add(
        `${at}: telemetry [${Object.keys(ad.telemetry)}] on ${m.labels.actual}, [${keys}] on ${m.labels.expected}`,
      );
    }
    for (const k of keys) {
      m.scalar(`${at} telemetry ${k}`, ed.telemetry[k] ?? null, ad.telemetry[k] ?? null);
    }
    if (ed.full) {
      fullSteps++;
      const es = ed.signal;
      const as = ad.signal;
      if (!es || !as) {
        m.add(`${at}: no signal profile on a full step`);
        return;
      }
      if (es.labels.join(',') !== as.labels.join(',')) {
        m.add(
          `${at}: signal points [${as.labels}] on ${m.labels.actual}, [${es.labels}] on ${m.labels.expected}`,
        );
        return;
      }
      const scale = Math.max(...es.norms);
      es.norms.forEach((n, j) => {
        m.scalar(`${at} signal ${es.labels[j]}`, n, as.norms[j] ?? null, scale);
      });
    }
  });
  if (fullSteps < 2) m.add(`only ${fullSteps} full-diagnostic step(s): the test spec is wrong`);
  m.scalar(
    'evaluation loss (inference mode)',
    expected.result.evaluation?.loss ?? null,
    actual.result.evaluation?.loss ?? null,
  );
}

/** Runs a spec on the oracle and on the backend under test and compares the two runs. */
export async function checkRun(
  ctx: KitContext,
  id: string,
  spec: ExperimentSpecInput,
): Promise<Mismatches> {
  const m = await ctx.mismatches();
  const { expected, actual } = await ctx.onBoth(() => runLogged(spec));
  if (actual.result.backend !== tf.getBackend()) {
    m.add(
      `the run reports backend "${actual.result.backend}", tfjs's active backend is "${tf.getBackend()}"`,
    );
  }
  compareRuns(m, expected, actual);
  m.check(id);
  return m;
}
