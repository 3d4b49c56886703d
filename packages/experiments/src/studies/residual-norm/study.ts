import { type ExperimentSpecInput, GradlabError, isGradlabError } from '@gradlab/core';
import { applyMitigations } from '@gradlab/mitigations';
import { defineStudy } from '../../define/define-study.js';
import { finished, planOf } from '../../study-kit/arm-runs.js';
import { type ArmOfNet, checks, declared, measureArm } from './checks.js';
import { figures, tables } from './figures.js';
import {
  ARMS,
  type Arm,
  NETS,
  type Net,
  type ResidualNormSettings,
  scaleNote,
  settings,
} from './settings.js';

function plainSpec(s: ResidualNormSettings, net: Net): ExperimentSpecInput {
  return {
    gradlab: 1,
    name: `residual-norm-${net}`,
    seed: s.seed,
    data: {
      kind: 'teacher',
      task: 'classification',
      inputSize: 16,
      outputSize: 4,
      samples: s.samples,
    },
    // The net's activation and init: what makes its gradient vanish.
    model: { kind: 'mlp', depth: s.depth, width: s.width, ...s[net] },
    training: { steps: s.steps, batchSize: s.batchSize, optimizer: { kind: 'adam', lr: s.lr } },
    // Full diagnostics on the first and last step only: the checks need the network as
    // initialised, and measuring every layer's statistics often would double the run's time.
    diagnostics: { every: s.steps },
  };
}

function armSpec(s: ResidualNormSettings, net: Net, arm: Arm): ExperimentSpecInput {
  const plain = plainSpec(s, net);
  if (arm === 'plain' || s[arm] === 'none') return plain;
  try {
    return applyMitigations(plain, s[arm]);
  } catch (e) {
    if (!isGradlabError(e)) throw e;
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `settings.${arm} is ${JSON.stringify(s[arm])}: ${e.message}. Allowed: a variant of \`gradlab compare --with\` (such as "${arm}"), or "none" for the plain net`,
    );
  }
}

/**
 * Every net with every arm, each with the label of the run that trains it: an arm whose spec is
 * one listed before it (a remedy "none" is the plain net) shares that run instead of training it
 * again. Every spec is built here, so a bad remedy is refused before any training.
 */
function armsOfNets(s: ResidualNormSettings): (ArmOfNet & { spec: ExperimentSpecInput })[] {
  const labelOfSpec = new Map<string, string>();
  return NETS.flatMap((net) =>
    ARMS.map((arm) => {
      const spec = armSpec(s, net, arm);
      const key = JSON.stringify(spec);
      const label = labelOfSpec.get(key) ?? `${net}-${arm}`;
      labelOfSpec.set(key, label);
      return { net, arm, label, spec };
    }),
  );
}

export const residualNormStudy = defineStudy<ResidualNormSettings>({
  name: 'residual-norm',
  title: 'Residual connections, BatchNorm and LayerNorm on deep plain MLPs whose gradient vanishes',
  reference:
    'He, Zhang, Ren & Sun (2016), Deep residual learning for image recognition, CVPR; Ioffe & Szegedy (2015), Batch normalization: accelerating deep network training by reducing internal covariate shift, ICML; Ba, Kiros & Hinton (2016), Layer normalization, arXiv:1607.06450.',
  claim:
    'In a deep MLP whose gradient vanishes, identity skip connections and BatchNorm restore the gradient and the training whatever the cause; LayerNorm restores them when the cause is the scale of the weights, which it is invariant to, but not when it is a saturating activation (sigmoid).',
  usesBackend: true,
  checks: declared,
  settings,
  scaleNote,
  // An arm trains under its own label unless it shares an earlier arm's run.
  runs: (s) =>
    planOf(
      armsOfNets(s).filter((a) => a.label === `${a.net}-${a.arm}`),
      (a) => a.spec,
    ),
  judge: (runs, s) => {
    const all = finished(armsOfNets(s), runs).map(measureArm);
    return { checks: checks(s, all), figures: figures(s, all), tables: tables(s, all) };
  },
});
