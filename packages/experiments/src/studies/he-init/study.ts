import { type ExperimentSpecInput, GradlabError } from '@gradlab/core';
import { defineStudy } from '../../define/define-study.js';
import { type ArmSeed, drawsThenTrained, finished } from '../../study-kit/arm-runs.js';
import { mnistMlpSpec } from '../../study-kit/mnist-training.js';
import { armPrediction, checks, declared, profileOf } from './checks.js';
import { figures, tables } from './figures.js';
import {
  ARMS,
  type Arm,
  drawnNets,
  type HeInitSettings,
  INIT_SETTING,
  scaleNote,
  settings,
  trainedNets,
} from './settings.js';

function specFor(s: HeInitSettings, { arm, seed, label }: ArmSeed<Arm>): ExperimentSpecInput {
  // Full diagnostics on the first and last step only (the default): the checks need the network
  // as initialised, and measuring every layer's statistics often would double the run's time.
  return mnistMlpSpec(s, {
    name: `he-init-${label}`,
    seed,
    depth: s.depth,
    activation: 'relu',
    init: s[INIT_SETTING[arm]],
    optimizer: { kind: 'momentum', lr: s.lr, momentum: 0.9 },
  });
}

/** Refuses settings the checks cannot judge, before anything trains. */
function validate(s: HeInitSettings): void {
  if (!(Number.isInteger(s.signalDraws) && s.signalDraws >= 2)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `settings.signalDraws is ${JSON.stringify(s.signalDraws)}; allowed: an integer >= 2 (random networks per arm for the signal checks, whose scatter the checks report)`,
    );
  }
  // The theory must describe both inits.
  for (const arm of ARMS) armPrediction(s, arm);
}

export const heInitStudy = defineStudy<HeInitSettings>({
  name: 'he-init',
  title: 'He et al. (2015): a 30-layer ReLU MLP stalls with Xavier init and trains with He init',
  reference:
    'He, Zhang, Ren & Sun (2015), Delving deep into rectifiers: surpassing human-level performance on ImageNet classification, ICCV.',
  claim:
    'In a 30-layer ReLU network, Xavier initialisation halves the second moment of the backward signal at every layer (2^-L over L layers) and the network stalls, while He initialisation (Var(w) = 2/fan-in) keeps it constant and the network trains.',
  usesBackend: true,
  checks: declared,
  settings,
  scaleNote,
  runs: (s) => {
    validate(s);
    return drawsThenTrained(drawnNets(s), trainedNets(s), (r) => specFor(s, r));
  },
  judge: (runs, s) => {
    const draws = finished(drawnNets(s), runs).map(profileOf);
    const trained = finished(trainedNets(s), runs).map(profileOf);
    return {
      checks: checks(s, trained, draws),
      figures: figures(s, trained, draws),
      tables: tables(trained),
    };
  },
});
