import { declareChecks, judged } from '../../define/define-study.js';
import type { CheckResult } from '../../study.js';
import type { Finished } from '../../study-kit/arm-runs.js';
import { formatNumber, formatPercent } from '../../study-kit/format.js';
import { finalAccuracy } from '../../study-kit/runs.js';
import { firstToLast, startSignal } from '../../study-kit/signal-profile.js';
import { type Arm, NET_TITLE, NETS, type Net, type ResidualNormSettings } from './settings.js';

/** gradlab's vanishing threshold: first/last below 1e-3 is vanishing. */
export const VANISHING_RATIO = 1e-3;
/** A remedy "restores training" when its accuracy beats the plain net's by this much. */
const ACCURACY_GAIN = 0.2;
/** "Does not help": accuracy within this of the plain net's. */
const NO_GAIN = 0.05;

/**
 * What each check claims and measures, its tolerance, and the settings that make it fail, with
 * what the fast run measured under them (residual-norm.test.ts runs each).
 */
export const declared = declareChecks({
  'plain-nets-vanish': {
    claim:
      'Both deep plain nets lose their gradient: the backpropagated signal at the first hidden layer is below 1e-3 of the last at initialisation.',
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
    claim:
      'Identity skip connections (He et al. 2016) restore the gradient and the training of both nets.',
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
    claim: 'BatchNorm (Ioffe & Szegedy 2015) restores the gradient and the training of both nets.',
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
    claim:
      'LayerNorm (Ba et al. 2016) restores the gradient and the training of the small-weights net: it makes each layer invariant to the scale of its weights.',
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
    claim:
      "LayerNorm does not restore the sigmoid net: normalising each example across its units does not undo sigmoid's small slope.",
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
});

/** One net with one arm, trained (an arm whose remedy is "none" shares the plain net's run). */
export interface ArmOfNet {
  readonly net: Net;
  readonly arm: Arm;
  readonly label: string;
}

/** What the checks read of a trained arm. */
export interface Trained extends Finished<ArmOfNet> {
  /** ||dL/dh|| per hidden layer at step 1, input side first. */
  readonly signal: readonly number[];
  /** First hidden layer's signal over the last's at step 1. */
  readonly ratio: number;
  readonly accuracy: number;
}

export function measureArm(arm: Finished<ArmOfNet>): Trained {
  const signal = startSignal(arm.run);
  return { ...arm, signal, ratio: firstToLast(signal), accuracy: finalAccuracy(arm.run) };
}

const describeArm = (t: Trained, plain: Trained) =>
  `${NET_TITLE[t.net]}: first/last ${formatNumber(t.ratio)}, accuracy ${formatPercent(t.accuracy)} (plain ${formatPercent(plain.accuracy)})`;

export function checks(s: ResidualNormSettings, all: readonly Trained[]): CheckResult[] {
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
  const restoreCheck = (id: string, arm: Arm, nets: readonly Net[]) =>
    judged(declared, id, {
      pass: nets.every((net) => restores(net, arm)),
      measured: nets.map((net) => describeArm(get(net, arm), get(net, 'plain'))).join('; '),
      expected: restoreExpected,
      values: valuesOf(nets, arm),
    });
  const ln = get('sigmoid', 'layernorm');
  const lnPlain = get('sigmoid', 'plain');
  return [
    judged(declared, 'plain-nets-vanish', {
      pass: NETS.every((net) => get(net, 'plain').ratio < VANISHING_RATIO),
      measured: NETS.map(
        (net) => `${NET_TITLE[net]}: first/last ${formatNumber(get(net, 'plain').ratio)}`,
      ).join('; '),
      expected: `below ${formatNumber(VANISHING_RATIO)} (gradlab's vanishing threshold) for both, at step 1`,
      values: Object.fromEntries(NETS.map((net) => [`${net}Ratio`, get(net, 'plain').ratio])),
    }),
    restoreCheck('residual-restores', 'residual', NETS),
    restoreCheck('batchnorm-restores', 'batchnorm', NETS),
    restoreCheck('layernorm-restores-small-weights', 'layernorm', ['smallWeights']),
    judged(declared, 'layernorm-leaves-sigmoid', {
      pass: ln.ratio < VANISHING_RATIO && Math.abs(ln.accuracy - lnPlain.accuracy) <= NO_GAIN,
      measured: describeArm(ln, lnPlain),
      expected: `first/last still below ${formatNumber(VANISHING_RATIO)} and accuracy within ${formatPercent(NO_GAIN)} of the plain net's. Ba et al. (2016) claim invariance to the scale of each layer's weights and faster training (of RNNs above all), not a cure for a saturating activation: sigmoid's outputs share a mean of about 1/2, so the spread LayerNorm divides by is dominated by that example-independent offset, not by the shrinking part that carries the input, which BatchNorm's per-unit batch statistics do rescale`,
      values: valuesOf(['sigmoid'], 'layernorm'),
    }),
  ];
}
