import {
  type Activation,
  type ExperimentSpecInput,
  GradlabError,
  type Initializer,
  isGradlabError,
} from '@gradlab/core';
import { applyMitigations } from '@gradlab/mitigations';
import type {
  CheckResult,
  DeclaredCheck,
  FigurePoint,
  Study,
  StudyContext,
  StudyFigure,
  TrainedRun,
} from '../../study.js';
import { formatNumber, formatPercent } from '../training-measures/format.js';
import { finalAccuracy, firstStep, signalNorms } from '../training-measures/runs.js';

/** A deep plain MLP whose gradient vanishes, and why. */
export interface PlainNet {
  readonly activation: Activation;
  readonly init: Initializer;
}

export interface ResidualNormSettings {
  /** Dense layers, the output layer included. */
  readonly depth: number;
  readonly width: number;
  readonly seed: number;
  readonly steps: number;
  readonly batchSize: number;
  /** Adam's learning rate, the same for every arm. */
  readonly lr: number;
  /** Examples of the teacher classification task (16 inputs, 4 classes). */
  readonly samples: number;
  /** Vanishes because its weights are too small: tanh with N(0, 0.05^2), gain 0.05 sqrt(64) = 0.4 per layer. */
  readonly smallWeights: PlainNet;
  /** Vanishes because of its activation: sigmoid's slope is at most 1/4, even with Xavier init. */
  readonly sigmoid: PlainNet;
  /** Each remedy as a `gradlab compare --with` variant, or "none" to train the plain net instead. */
  readonly residual: string;
  readonly batchnorm: string;
  readonly layernorm: string;
}

const NETS = ['smallWeights', 'sigmoid'] as const;
type Net = (typeof NETS)[number];
const NET_TITLE: Record<Net, string> = {
  smallWeights: 'small-weights net',
  sigmoid: 'sigmoid net',
};
const ARMS = ['plain', 'residual', 'batchnorm', 'layernorm'] as const;
type Arm = (typeof ARMS)[number];

/** gradlab's vanishing threshold: first/last below 1e-3 is vanishing. */
const VANISHING_RATIO = 1e-3;
/** A remedy "restores training" when its accuracy beats the plain net's by this much. */
const ACCURACY_GAIN = 0.2;
/** "Does not help": accuracy within this of the plain net's. */
const NO_GAIN = 0.05;

const CLAIMS = {
  'plain-nets-vanish':
    'Both deep plain nets lose their gradient: the backpropagated signal at the first hidden layer is below 1e-3 of the last at initialisation.',
  'residual-restores':
    'Identity skip connections (He et al. 2016) restore the gradient and the training of both nets.',
  'batchnorm-restores':
    'BatchNorm (Ioffe & Szegedy 2015) restores the gradient and the training of both nets.',
  'layernorm-restores-small-weights':
    'LayerNorm (Ba et al. 2016) restores the gradient and the training of the small-weights net: it makes each layer invariant to the scale of its weights.',
  'layernorm-leaves-sigmoid':
    "LayerNorm does not restore the sigmoid net: normalising each example across its units does not undo sigmoid's small slope.",
} as const;

/**
 * What each check measures, its tolerance, and the settings that make it fail, with what the
 * fast run measured under them (residual-norm.test.ts runs each).
 */
const COUNTERFACTUALS: Record<keyof typeof CLAIMS, Omit<DeclaredCheck, 'id' | 'claim'>> = {
  'plain-nets-vanish': {
    measures: '||dL/dh|| at the first hidden layer over the last, at step 1, for both plain nets.',
    tolerance:
      "Below 1e-3, gradlab's vanishing threshold, for both; measured 5.3e-8 (small weights, about 0.4^18) and 4.0e-12 (sigmoid).",
    counterfactuals: [
      {
        change:
          '`smallWeights: { activation: "tanh", init: "xavier-normal" }` (a healthy plain net)',
        measured: 'first/last 0.288.',
      },
    ],
  },
  'residual-restores': {
    measures:
      "First/last ||dL/dh|| at step 1 and the accuracy after training of each net with identity skips every 2 layers, against the plain net's accuracy.",
    tolerance:
      "First/last >= 1e-3 and accuracy at least 20 points above the plain net's, on both nets; measured 1.12 and 80.6%, 1.01 and 59.1%, against 26.4% (fast; four classes).",
    counterfactuals: [
      {
        change: '`residual: "none"` (no skip connections)',
        measured: "first/last 5.3e-8 and 4.0e-12, accuracy 26.4%, the plain nets' own.",
      },
    ],
  },
  'batchnorm-restores': {
    measures: 'The same with BatchNorm between each dense layer and its activation.',
    tolerance:
      'As for residual-restores; measured 5.98 and 68.8%, 2.05 and 74.7%, against 26.4% (fast).',
    counterfactuals: [
      {
        change: '`batchnorm: "none"`',
        measured: "first/last 5.3e-8 and 4.0e-12, accuracy 26.4%, the plain nets' own.",
      },
    ],
  },
  'layernorm-restores-small-weights': {
    measures: 'The same with LayerNorm, for the small-weights net.',
    tolerance: 'As for residual-restores; measured 4.99 and 71.1% against 26.4% (fast).',
    counterfactuals: [
      {
        change: '`layernorm: "none"`',
        measured: "first/last 5.3e-8, accuracy 26.4%, the plain net's own.",
      },
    ],
  },
  'layernorm-leaves-sigmoid': {
    measures:
      "First/last ||dL/dh|| at step 1 and the accuracy after training of the sigmoid net with LayerNorm, against the plain sigmoid net's accuracy.",
    tolerance:
      "First/last still below 1e-3 and the accuracy within 5 points of the plain net's; measured 2.1e-8, and 26.4% against 26.4% (fast).",
    counterfactuals: [
      {
        change:
          '`sigmoid: { activation: "tanh", init: { kind: "normal", std: 0.05 } }` (a net whose cause is the scale of its weights in the sigmoid slot)',
        measured: 'first/last 4.99, accuracy 71.1% against 26.4%.',
      },
    ],
  },
};

interface Trained {
  readonly net: Net;
  readonly arm: Arm;
  readonly run: TrainedRun;
  /** ||dL/dh|| per hidden layer at step 1, input side first. */
  readonly signal: readonly number[];
  /** First hidden layer's signal over the last's at step 1. */
  readonly ratio: number;
  readonly accuracy: number;
}

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
    model: {
      kind: 'mlp',
      depth: s.depth,
      width: s.width,
      activation: s[net].activation,
      init: s[net].init,
    },
    training: {
      steps: s.steps,
      batchSize: s.batchSize,
      optimizer: { kind: 'adam', lr: s.lr },
    },
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

async function trainAll(ctx: StudyContext, s: ResidualNormSettings): Promise<Trained[]> {
  // Every spec first, so that a bad remedy is refused before any training.
  const plan = NETS.flatMap((net) => ARMS.map((arm) => ({ net, arm, spec: armSpec(s, net, arm) })));
  const out: Trained[] = [];
  // An arm whose remedy is "none" trains exactly the plain net: reuse that run.
  const bySpec = new Map<string, TrainedRun>();
  for (const { net, arm, spec } of plan) {
    ctx.signal?.throwIfAborted();
    const label = `${net}-${arm}`;
    const key = JSON.stringify(spec);
    ctx.progress(`training ${label}`, out.length / plan.length);
    const run = bySpec.get(key) ?? (await ctx.train(label, spec));
    bySpec.set(key, run);
    const signal = signalNorms(firstStep(run), label);
    out.push({
      net,
      arm,
      run,
      signal,
      ratio: (signal[0] as number) / (signal.at(-1) as number),
      accuracy: finalAccuracy(run),
    });
  }
  ctx.progress('done', 1);
  return out;
}

const describeArm = (t: Trained, plain: Trained) =>
  `${NET_TITLE[t.net]}: first/last ${formatNumber(t.ratio)}, accuracy ${formatPercent(t.accuracy)} (plain ${formatPercent(plain.accuracy)})`;

function checks(s: ResidualNormSettings, all: readonly Trained[]): CheckResult[] {
  const get = (net: Net, arm: Arm) => all.find((t) => t.net === net && t.arm === arm) as Trained;
  const restores = (net: Net, arm: Arm) => {
    const t = get(net, arm);
    return t.ratio >= VANISHING_RATIO && t.accuracy >= get(net, 'plain').accuracy + ACCURACY_GAIN;
  };
  const restoreExpected = `first/last >= ${formatNumber(VANISHING_RATIO)} at initialisation, and accuracy after ${s.steps} steps at least ${formatPercent(ACCURACY_GAIN)} above the plain net's (inference mode, 1,024 examples)`;
  const valuesOf = (nets: readonly Net[], arm: Arm) =>
    Object.fromEntries(
      nets.flatMap((net) => [
        [`${net}Ratio`, get(net, arm).ratio],
        [`${net}Accuracy`, get(net, arm).accuracy],
        [`${net}PlainAccuracy`, get(net, 'plain').accuracy],
      ]),
    );
  const restoreCheck = (id: keyof typeof CLAIMS, arm: Arm, nets: readonly Net[]) => ({
    id,
    claim: CLAIMS[id],
    pass: nets.every((net) => restores(net, arm)),
    measured: nets.map((net) => describeArm(get(net, arm), get(net, 'plain'))).join('; '),
    expected: restoreExpected,
    values: valuesOf(nets, arm),
  });
  const ln = get('sigmoid', 'layernorm');
  const lnPlain = get('sigmoid', 'plain');
  return [
    {
      id: 'plain-nets-vanish',
      claim: CLAIMS['plain-nets-vanish'],
      pass: NETS.every((net) => get(net, 'plain').ratio < VANISHING_RATIO),
      measured: NETS.map(
        (net) => `${NET_TITLE[net]}: first/last ${formatNumber(get(net, 'plain').ratio)}`,
      ).join('; '),
      expected: `below ${formatNumber(VANISHING_RATIO)} (gradlab's vanishing threshold) for both, at step 1`,
      values: Object.fromEntries(NETS.map((net) => [`${net}Ratio`, get(net, 'plain').ratio])),
    },
    restoreCheck('residual-restores', 'residual', NETS),
    restoreCheck('batchnorm-restores', 'batchnorm', NETS),
    restoreCheck('layernorm-restores-small-weights', 'layernorm', ['smallWeights']),
    {
      id: 'layernorm-leaves-sigmoid',
      claim: CLAIMS['layernorm-leaves-sigmoid'],
      pass: ln.ratio < VANISHING_RATIO && Math.abs(ln.accuracy - lnPlain.accuracy) <= NO_GAIN,
      measured: describeArm(ln, lnPlain),
      expected: `first/last still below ${formatNumber(VANISHING_RATIO)} and accuracy within ${formatPercent(NO_GAIN)} of the plain net's. Ba et al. (2016) claim invariance to the scale of each layer's weights and faster training (of RNNs above all), not a cure for a saturating activation: sigmoid's outputs share a mean of about 1/2, so the spread LayerNorm divides by is dominated by that example-independent offset, not by the shrinking part that carries the input, which BatchNorm's per-unit batch statistics do rescale`,
      values: {
        sigmoidRatio: ln.ratio,
        sigmoidAccuracy: ln.accuracy,
        sigmoidPlainAccuracy: lnPlain.accuracy,
      },
    },
  ];
}

function figures(s: ResidualNormSettings, all: readonly Trained[]): StudyFigure[] {
  return NETS.flatMap((net): StudyFigure[] => {
    const own = all.filter((t) => t.net === net);
    const profile: FigurePoint[] = own.flatMap((t) =>
      t.signal.map((n, l) => ({ series: t.arm, x: l + 1, y: n / (t.signal.at(-1) as number) })),
    );
    const losses: FigurePoint[] = own.flatMap((t) =>
      t.run.losses.map((loss, i) => ({ series: t.arm, x: i + 1, y: loss })),
    );
    const { activation } = s[net];
    return [
      {
        id: `signal-profile-${net}`,
        title: `Backpropagated signal at step 1: ${NET_TITLE[net]} (${s.depth} layers, ${activation})`,
        kind: 'line',
        x: { title: 'hidden layer (input side first)' },
        y: { title: '||dL/dh|| relative to the last hidden layer', log: true },
        points: profile,
        caption: `Below ${formatNumber(VANISHING_RATIO)} at layer 1 is vanishing.`,
      },
      {
        id: `loss-${net}`,
        title: `Training loss: ${NET_TITLE[net]}`,
        kind: 'line',
        x: { title: 'step' },
        y: { title: 'cross-entropy' },
        points: losses,
      },
    ];
  });
}

export const residualNormStudy: Study<ResidualNormSettings> = {
  name: 'residual-norm',
  title: 'Residual connections, BatchNorm and LayerNorm on deep plain MLPs whose gradient vanishes',
  reference:
    'He, Zhang, Ren & Sun (2016), Deep residual learning for image recognition, CVPR; Ioffe & Szegedy (2015), Batch normalization: accelerating deep network training by reducing internal covariate shift, ICML; Ba, Kiros & Hinton (2016), Layer normalization, arXiv:1607.06450.',
  claim:
    'In a deep MLP whose gradient vanishes, identity skip connections and BatchNorm restore the gradient and the training whatever the cause; LayerNorm restores them when the cause is the scale of the weights, which it is invariant to, but not when it is a saturating activation (sigmoid).',
  usesBackend: true,
  checks: Object.entries(CLAIMS).map(([id, claim]) => ({
    id,
    claim,
    ...COUNTERFACTUALS[id as keyof typeof CLAIMS],
  })),
  settings: {
    full: {
      depth: 20,
      width: 64,
      seed: 0,
      steps: 150,
      batchSize: 64,
      lr: 0.003,
      samples: 2048,
      smallWeights: { activation: 'tanh', init: { kind: 'normal', std: 0.05 } },
      sigmoid: { activation: 'sigmoid', init: 'xavier-normal' },
      residual: 'residual',
      batchnorm: 'batchnorm',
      layernorm: 'layernorm',
    },
    fast: {
      depth: 20,
      width: 64,
      seed: 0,
      steps: 50,
      batchSize: 64,
      lr: 0.003,
      samples: 2048,
      smallWeights: { activation: 'tanh', init: { kind: 'normal', std: 0.05 } },
      sigmoid: { activation: 'sigmoid', init: 'xavier-normal' },
      residual: 'residual',
      batchnorm: 'batchnorm',
      layernorm: 'layernorm',
    },
  },
  scaleNote:
    'Two 20-layer MLPs of width 64 on a 4-class teacher task, trained by Adam for 150 steps (50 in the fast run): one vanishes because its weights are too small (tanh, N(0, 0.05^2): 0.4 per layer, 0.4^19 ~ 3e-8 over the net), one because of its activation (sigmoid with Xavier init: slope at most 1/4). Vanishing is a property of the initialised network, measured at step 1, and it decides within tens of steps whether the net learns, so these short runs show what the papers showed on ImageNet-scale nets over many epochs. Residual blocks are 2 layers (the mitigation "residual"), BatchNorm and LayerNorm sit between each dense layer and its activation, as in the papers.',
  run: async (ctx, settings) => {
    const all = await trainAll(ctx, settings);
    return {
      checks: checks(settings, all),
      figures: figures(settings, all),
      tables: [
        {
          id: 'arms',
          title: 'Per net and arm',
          columns: [
            'net',
            'arm',
            'first/last ||dL/dh||, step 1',
            'first/last at the end',
            'verdict at the end',
            'last training loss',
            'accuracy (inference)',
          ],
          rows: all.map((t) => [
            NET_TITLE[t.net],
            t.arm === 'plain' ? 'plain' : settings[t.arm],
            formatNumber(t.ratio),
            formatNumber(t.run.result.final?.signal?.ratioFirstToLast),
            t.run.result.verdict,
            formatNumber(t.run.losses.at(-1)),
            formatPercent(t.accuracy),
          ]),
        },
      ],
    };
  },
};
