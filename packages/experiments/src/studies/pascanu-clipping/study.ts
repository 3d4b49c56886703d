import type { ExperimentSpecInput, RecurrentSpec } from '@gradlab/core';
import { defineStudy } from '../../define/define-study.js';
import { checks, declared, powerLaws, seedPairs } from './checks.js';
import { figures, tables } from './figures.js';
import {
  linearLabel,
  type PascanuClippingSettings,
  rnnLabel,
  scaleNote,
  settings,
} from './settings.js';

export type { PascanuClippingSettings } from './settings.js';

function rnnSpec(s: PascanuClippingSettings, seed: number, clip: boolean): ExperimentSpecInput {
  return {
    gradlab: 1,
    name: `pascanu-tanh-rnn-${clip ? 'clipped' : 'unclipped'}-seed${seed}`,
    seed,
    data: { kind: 'adding', length: s.length, samples: 2048 },
    model: {
      kind: 'rnn',
      hiddenSize: s.hiddenSize,
      activation: 'tanh',
      recurrentInit: { kind: 'orthogonal', gain: s.recurrentGain },
    },
    training: {
      steps: s.steps,
      batchSize: s.batchSize,
      optimizer: { kind: 'sgd', lr: s.lr },
      clip: clip ? { kind: 'global-norm', maxNorm: s.maxNorm } : null,
    },
    // Only the gradient norms (every step) are needed; full diagnostics on the first and last.
    diagnostics: { every: s.steps },
  };
}

function linearSpec(s: PascanuClippingSettings, rho: number): ExperimentSpecInput {
  const recurrentInit: RecurrentSpec['recurrentInit'] =
    s.linearRecurrent === 'orthogonal'
      ? { kind: 'orthogonal', gain: rho }
      : // Circular law: an n x n matrix of N(0, rho^2 / n) entries has spectral radius ~rho.
        { kind: 'normal', std: rho / Math.sqrt(s.linearHiddenSize) };
  return {
    gradlab: 1,
    name: `pascanu-linear-rnn-rho${rho}`,
    seed: 0,
    data: { kind: 'adding', length: s.linearLength, samples: 256 },
    model: { kind: 'rnn', hiddenSize: s.linearHiddenSize, activation: 'linear', recurrentInit },
    // One step: its full diagnostics are measured before the update, on W = rho Q itself. The
    // tiny rate keeps the update from blowing up the recorded network (rho^49 ~ 100 at rho 1.1).
    training: { steps: 1, batchSize: 32, optimizer: { kind: 'sgd', lr: 1e-6 } },
  };
}

export const pascanuClippingStudy = defineStudy<PascanuClippingSettings>({
  name: 'pascanu-clipping',
  title: 'Exploding gradients in RNNs, and global-norm clipping',
  reference:
    'Pascanu, Mikolov & Bengio (2013), On the difficulty of training recurrent neural networks, ICML.',
  claim:
    'A recurrent net whose Jacobian through time grows has exploding gradients that wreck plain SGD; rescaling the gradient to a maximal global norm bounds every update and lets it train; for a linear RNN with W = rho Q the gradient through time is exactly rho^(T-k).',
  checks: declared,
  settings,
  scaleNote,
  usesBackend: true,
  runs: (s) => [
    // The "clipped" arm clips only when the settings say so (false: the counterfactual).
    ...s.seeds.flatMap((seed) => [
      { label: rnnLabel('unclipped', seed), spec: rnnSpec(s, seed, false) },
      { label: rnnLabel('clipped', seed), spec: rnnSpec(s, seed, s.clipping) },
    ]),
    ...s.rhos.map((rho) => ({ label: linearLabel(rho), spec: linearSpec(s, rho) })),
  ],
  judge: (runs, s) => {
    const pairs = seedPairs(s, runs);
    const laws = powerLaws(s, runs);
    return {
      checks: checks(s, pairs, laws),
      figures: figures(s, pairs, laws),
      tables: tables(s, pairs, laws),
    };
  },
});
