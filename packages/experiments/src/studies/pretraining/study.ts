import type { ExperimentSpecInput } from '@gradlab/core';
import { defineStudy } from '../../define/define-study.js';
import { armsBySeed, planOf } from '../../study-kit/arm-runs.js';
import { mnistMlpSpec } from '../../study-kit/mnist-training.js';
import { checks, declared, seedPairs } from './checks.js';
import { figures, tables } from './figures.js';
import {
  ARMS,
  type Arm,
  type PretrainingSettings,
  runLabel,
  scaleNote,
  settings,
} from './settings.js';

function specFor(s: PretrainingSettings, arm: Arm, seed: number): ExperimentSpecInput {
  // Full diagnostics on the first and last step (the default): the checks need the start of
  // fine-tuning.
  return mnistMlpSpec(s, {
    name: `pretraining-${arm}-seed${seed}`,
    seed,
    depth: s.hiddenLayers + 1,
    activation: 'sigmoid',
    init: s.init,
    optimizer: { kind: 'sgd', lr: s.lr },
    pretraining: arm === 'pretrained' ? s.pretraining : null,
  });
}

export const pretrainingStudy = defineStudy<PretrainingSettings>({
  name: 'pretraining',
  title: 'Greedy layer-wise pre-training of a deep sigmoid net versus random initialisation',
  reference:
    'Hinton, Osindero & Teh (2006), A fast learning algorithm for deep belief nets, Neural Computation; Bengio, Lamblin, Popovici & Larochelle (2007), Greedy layer-wise training of deep networks, NeurIPS; Erhan, Bengio, Courville, Manzagol, Vincent & Bengio (2010), Why does unsupervised pre-training help deep learning?, JMLR.',
  claim:
    'Pre-training each layer of a deep sigmoid network as an autoencoder, one after the other, before supervised fine-tuning gives its lower layers a usable gradient and a network that fine-tunes to a lower loss and a higher accuracy than the same network from random initialisation.',
  usesBackend: true,
  checks: declared,
  settings,
  scaleNote,
  runs: (s) => planOf(armsBySeed(ARMS, s.seeds, runLabel), (r) => specFor(s, r.arm, r.seed)),
  judge: (runs, s) => {
    const pairs = seedPairs(s, runs);
    return { checks: checks(s, pairs), figures: figures(s, pairs), tables: tables(pairs) };
  },
});
