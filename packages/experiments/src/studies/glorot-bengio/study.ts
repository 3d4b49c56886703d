import { type ExperimentSpecInput, GradlabError } from '@gradlab/core';
import { defineStudy } from '../../define/define-study.js';
import { type ArmSeed, drawsThenTrained, finished } from '../../study-kit/arm-runs.js';
import { mnistMlpSpec } from '../../study-kit/mnist-training.js';
import { checks, declared } from './checks.js';
import { figures, tables } from './figures.js';
import {
  ARMS,
  type Arm,
  drawnNets,
  type GlorotBengioSettings,
  scaleNote,
  settings,
  trainedNets,
  VARIANCE_ARMS,
} from './settings.js';
import { measureDraw, theoryInitOf } from './variance-argument.js';

function specFor(s: GlorotBengioSettings, { arm, seed, label }: ArmSeed<Arm>): ExperimentSpecInput {
  const { activation, init, lr } = s[arm];
  return mnistMlpSpec(s, {
    name: `glorot-bengio-${label}`,
    seed,
    depth: s.hiddenLayers + 1,
    activation,
    init,
    optimizer: { kind: 'sgd', lr },
    diagnosticsEvery: s.diagnosticsEvery,
  });
}

/** Refuses settings the checks cannot judge, before anything trains. */
function validate(s: GlorotBengioSettings): void {
  for (const arm of ARMS) {
    if (s[arm].activation !== 'sigmoid' && s[arm].activation !== 'tanh') {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `settings.${arm}.activation is "${s[arm].activation}"; allowed: sigmoid or tanh (a bounded activation, whose saturation the study measures)`,
      );
    }
  }
  // The theory must describe every hidden kernel.
  for (const arm of VARIANCE_ARMS) {
    for (let l = 1; l < s.hiddenLayers; l++) theoryInitOf(s, arm, l);
  }
  if (!(Number.isInteger(s.varianceDraws) && s.varianceDraws >= 1)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `settings.varianceDraws is ${JSON.stringify(s.varianceDraws)}; allowed: an integer >= 1 (random networks per net for the variance argument)`,
    );
  }
}

export const glorotBengioStudy = defineStudy<GlorotBengioSettings>({
  name: 'glorot-bengio',
  title:
    'Glorot & Bengio (2010): a deep sigmoid net saturates its top hidden layer; tanh with normalised init trains',
  reference:
    'Glorot & Bengio (2010), Understanding the difficulty of training deep feedforward neural networks, AISTATS.',
  claim:
    "With the standard initialisation U[-1/sqrt(n), 1/sqrt(n)], a deep sigmoid network's backward signal fades by n Var(W) E[phi'^2] per layer, it quickly pushes its top hidden layer to 0, the lower saturation value, while the lower layers stay near 0.5, and it learns slowly; a tanh network with the normalised initialisation keeps its backward signal and trains, faster than with the standard one.",
  usesBackend: true,
  checks: declared,
  settings,
  scaleNote,
  runs: (s) => {
    validate(s);
    return drawsThenTrained(drawnNets(s), trainedNets(s), (r) => specFor(s, r));
  },
  judge: (runs, s) => {
    const draws = finished(drawnNets(s), runs).map((d) => measureDraw(s, d));
    const trained = finished(trainedNets(s), runs);
    return {
      checks: checks(s, trained, draws),
      figures: figures(s, trained, draws),
      tables: tables(s, trained, draws),
    };
  },
});
