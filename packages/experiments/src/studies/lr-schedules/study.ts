import type { ExperimentSpecInput } from '@gradlab/core';
import { defineStudy } from '../../define/define-study.js';
import type { StudyRun } from '../../study.js';
import { declared, linearChecks, linearLayerTheory, linearRuns } from './checks.js';
import { deepArms, deepChecks } from './deep-network.js';
import { deepFigures, deepTable, linearFigures, linearTable } from './figures.js';
import {
  deepRuns,
  type LrSchedulesSettings,
  linearArms,
  type ScheduleSpecInput,
  scaleNote,
  settings,
} from './settings.js';

export type { LrSchedulesSettings } from './settings.js';

/** The one setting of both parts: teacher data fitted by SGD on the MSE, a rate and a schedule. */
function teacherSpec(
  s: LrSchedulesSettings,
  part: 'linear' | 'deep',
  r: { label: string; seed: number; steps: number; lr: number; schedule: ScheduleSpecInput },
): ExperimentSpecInput {
  const linear = part === 'linear';
  const { inputSize, outputSize } = s;
  return {
    gradlab: 1,
    name: `lr-schedules-${r.label}`,
    seed: r.seed,
    data: {
      kind: 'teacher',
      task: 'regression',
      inputSize,
      outputSize,
      samples: linear ? s.samples : s.deepSamples,
    },
    model: linear
      ? // One dense layer: the loss is exactly quadratic in its weights.
        { kind: 'mlp', depth: 1, width: 1, init: 'xavier-normal' }
      : {
          kind: 'mlp',
          depth: s.deepDepth,
          width: s.deepWidth,
          activation: 'relu',
          init: 'he-normal',
        },
    training: {
      steps: r.steps,
      batchSize: linear ? s.batchSize : s.deepBatchSize,
      optimizer: { kind: 'sgd', lr: r.lr },
      schedule: r.schedule,
      loss: 'mse',
    },
    // Gradient norms every step; full diagnostics (the weights, for the size of the first
    // update) on the first step and the last.
    diagnostics: { every: r.steps },
  };
}

/**
 * The runs of both parts. The linear layer's rates are multiples of its critical rate 2/L,
 * computed on the host from the same teacher data: from the settings, not from another run.
 */
function plan(s: LrSchedulesSettings): StudyRun[] {
  const { criticalLr } = linearLayerTheory(s);
  const { seed, steps } = s;
  return [
    ...linearArms(s).map((a) => ({
      label: a.label,
      spec: teacherSpec(s, 'linear', { ...a, seed, steps, lr: a.factor * criticalLr }),
    })),
    ...deepRuns(s).map((r) => ({ label: r.label, spec: teacherSpec(s, 'deep', r) })),
  ];
}

export const lrSchedulesStudy = defineStudy<LrSchedulesSettings>({
  name: 'lr-schedules',
  title:
    'Too large a learning rate explodes, a smaller rate or a schedule converges: at 2/L on a quadratic, and in a deep ReLU network',
  reference:
    'Goodfellow, Bengio & Courville (2016), Deep Learning, MIT Press, sections 4.3 and 8.3; Bengio (2012), Practical recommendations for gradient-based training of deep architectures, in Neural Networks: Tricks of the Trade; Loshchilov & Hutter (2017), SGDR: stochastic gradient descent with warm restarts, ICLR; Goyal et al. (2017), Accurate, large minibatch SGD: training ImageNet in 1 hour, arXiv:1706.02677; Gilmer et al. (2022), A loss curvature perspective on training instabilities of deep learning models, ICLR.',
  claim:
    'On a quadratic loss of largest curvature L, gradient descent with a constant step above 2/L diverges (loss and gradient explode geometrically), a step below 2/L converges, and a step, exponential or cosine decay that starts above 2/L converges too; in a 12-layer ReLU network trained by SGD, where no closed-form threshold exists, too large a constant rate makes the loss and the gradient norm explode within a few steps, while a constant rate of 0.03 instead of 0.5, or a warm-up to the large rate followed by a cosine decay, converges.',
  checks: declared,
  settings,
  scaleNote,
  usesBackend: true,
  runs: plan,
  judge: (runs, s) => {
    const theory = linearLayerTheory(s);
    const linear = linearRuns(s, runs);
    const deep = deepArms(s, runs);
    return {
      checks: [...linearChecks(linear, theory), ...deepChecks(s, deep)],
      figures: [...linearFigures(s, linear, theory), ...deepFigures(s, deep)],
      tables: [linearTable(linear, theory), deepTable(deep)],
    };
  },
});
