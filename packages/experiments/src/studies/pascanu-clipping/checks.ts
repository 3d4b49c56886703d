import { formatNumber, type StepDiagnostics } from '@gradlab/core';
import { declareChecks } from '../../define/define-study.js';
import type { CheckResult, StudyRuns, TrainedRun } from '../../study.js';
import { finiteOrNull, judgedPerItem } from '../../study-kit/check-values.js';
import { measureExplosion } from '../../study-kit/explosion.js';
import { compareWithPowerLaw, worstRelativeError } from './gradient-through-time.js';
import { linearLabel, type PascanuClippingSettings, rnnLabel } from './settings.js';

/** A loss or gradient norm this many times its first value counts as a blow-up. */
const BLOW_UP_FACTOR = 10;
/** Float32 slack on the clipped norm: the rescale and the norm are both rounded. */
const BOUND_TOLERANCE = 1e-5;
/** float32 over a few dozen products of an orthogonal matrix: errors near 1e-6 are expected. */
const POWER_LAW_TOLERANCE = 1e-4;
/** The clipped run must end at most at this fraction of its first loss. */
const TRAINED_FRACTION = 0.5;

/**
 * What each check claims and measures, its tolerance, and the settings that make it fail, with
 * what the fast run measured under them (pascanu-clipping.test.ts runs each).
 */
export const declared = declareChecks({
  'explodes-without-clipping': {
    claim:
      'Without clipping, the gradient norm and the loss of the tanh RNN blow up (the exploding-gradient problem).',
    measures:
      "The unclipped run's largest training loss and gradient norm over their step-1 values.",
    tolerance:
      'Both above 10x (or NaN/Inf) on every seed; measured NaN/Inf from step 5, the gradient norm peaking at 5.6e30 (fast).',
    counterfactuals: [
      { change: '`lr: 0.01` (a step small enough not to explode)', measured: 'growth 1 of both.' },
    ],
  },
  'clip-bounds-every-update': {
    claim:
      'With global-norm clipping, no update uses a gradient whose norm exceeds the threshold maxNorm, though the raw gradient does.',
    measures:
      'The norm of the gradient each update of the clipped run applied (after clipping), and how many steps had a raw norm above maxNorm.',
    tolerance:
      'Every applied norm <= maxNorm x (1 + 1e-5), the float32 rounding of the rescale, and at least one raw norm above maxNorm; measured 1.0000001, with 87 of 100 raw norms above 1 (fast).',
    counterfactuals: [
      {
        change: '`clipping: false` (the clipped arm does not clip)',
        measured: 'applied norm NaN/Inf (raw peak 5.6e30).',
      },
    ],
  },
  'clipped-run-trains': {
    claim:
      'With clipping the loss stays finite and ends well below where it started, and below the unclipped run.',
    measures:
      "The clipped run's losses, its final MSE (inference) against its first loss and against the unclipped run's.",
    tolerance:
      "Every loss finite, final MSE below 0.5 x the first loss and below the unclipped run's (NaN counts as worse); measured 0.169 against 1.65 and NaN (fast).",
    counterfactuals: [{ change: '`clipping: false`', measured: 'a NaN loss, final MSE NaN.' }],
  },
  'gradient-through-time-is-rho-power': {
    claim:
      'For a linear RNN with W = rho Q (Q orthogonal) and the loss on the last step, ||dL/dh_k|| / ||dL/dh_T|| = rho^(T-k) at every k.',
    measures:
      '||dL/dh_k|| / ||dL/dh_T|| of a linear RNN with W = rho Q at every step k, before the first update, against rho^(T-k).',
    tolerance:
      'Within 1e-4 relative at every k, for rho 0.9 and 1.1 (float32 over a few dozen products: errors near 1e-6); measured 5.4e-7 and 6.2e-7 (fast).',
    counterfactuals: [
      {
        change:
          '`linearRecurrent: "gaussian"` (N(0, rho^2/n) entries: spectral radius about rho, not orthogonal)',
        measured: 'worst relative error 2.96; 0.186 at k = 1 against 0.9^29 = 0.0471.',
      },
    ],
  },
});

const fmt = (x: number | null, digits = 3): string =>
  x === null || Number.isNaN(x)
    ? 'NaN'
    : Number.isFinite(x)
      ? formatNumber(x, { digits })
      : 'unbounded (NaN/Inf)';

/** The norm of the gradient a step's update applied: after clipping when the run clips. */
export const appliedNorm = (d: StepDiagnostics): number =>
  d.telemetry['clip.postNorm'] ?? d.globalGradNorm;

/** Final MSE of a trained network (inference); Infinity when it has none. */
export const evaluationLoss = (run: TrainedRun): number =>
  run.result.evaluation?.loss ?? Number.POSITIVE_INFINITY;

/** One tanh RNN run, and how far its loss and gradient norm rose. */
function armRun(run: TrainedRun) {
  const norms = run.steps.map((d) => d.globalGradNorm);
  return { run, explosion: measureExplosion(run.losses, norms, BLOW_UP_FACTOR) };
}

/** Each seed's runs, without and with clipping. */
export const seedPairs = (s: PascanuClippingSettings, runs: StudyRuns) =>
  s.seeds.map((seed) => ({
    seed,
    unclipped: armRun(runs.get(rnnLabel('unclipped', seed))),
    clipped: armRun(runs.get(rnnLabel('clipped', seed))),
  }));
export type SeedPair = ReturnType<typeof seedPairs>[number];

/** Each linear RNN's signal at step 1 (before the update) against rho^(T-k). */
export const powerLaws = (s: PascanuClippingSettings, runs: StudyRuns) =>
  s.rhos.map((rho) => {
    const norms = runs.get(linearLabel(rho)).steps[0]?.signal?.norms ?? [];
    const points = compareWithPowerLaw(norms, rho);
    return { rho, points, worst: worstRelativeError(points) };
  });
export type PowerLaw = ReturnType<typeof powerLaws>[number];

const seedName = (p: { readonly seed: number }): string => `seed${p.seed}`;

/** What the clipped run of a seed measured: the norms its updates applied, and its losses. */
function clippedRunOf({ seed, clipped: { run, explosion }, unclipped }: SeedPair, maxNorm: number) {
  return {
    seed,
    // One non-finite applied norm makes the largest unbounded.
    largestApplied: run.steps
      .map(appliedNorm)
      .reduce((m, v) => (Number.isFinite(v) ? Math.max(m, v) : Number.POSITIVE_INFINITY), 0),
    largestRaw: explosion.peakGradNorm,
    engaged: run.steps.filter((d) => !(d.globalGradNorm <= maxNorm)).length,
    steps: run.steps.length,
    first: run.losses[0] ?? Number.NaN,
    finite: run.losses.every(Number.isFinite),
    mse: evaluationLoss(run),
    unclippedMse: evaluationLoss(unclipped.run),
  };
}

export function checks(
  s: PascanuClippingSettings,
  pairs: readonly SeedPair[],
  laws: readonly PowerLaw[],
): CheckResult[] {
  const { maxNorm, linearLength: T } = s;
  const bound = maxNorm * (1 + BOUND_TOLERANCE);
  const clipped = pairs.map((p) => clippedRunOf(p, maxNorm));
  return [
    judgedPerItem(declared, 'explodes-without-clipping', pairs, {
      name: seedName,
      passes: ({ unclipped: { explosion: e } }) =>
        e.lossGrowth > BLOW_UP_FACTOR && e.gradGrowth > BLOW_UP_FACTOR,
      describe: ({ seed, unclipped: { explosion: e } }) =>
        `seed ${seed}: loss growth ${fmt(e.lossGrowth)} (first blow-up at step ${e.blowUpStep ?? 'none'}), gradient-norm growth ${fmt(e.gradGrowth)}`,
      expected: `loss and gradient norm each exceed ${BLOW_UP_FACTOR}x their step-1 values (or become NaN/Inf) on every seed`,
      values: ({ unclipped: { explosion: e } }) => ({
        lossGrowth: finiteOrNull(e.lossGrowth),
        gradGrowth: finiteOrNull(e.gradGrowth),
        peakGradNorm: e.peakGradNorm,
      }),
    }),
    judgedPerItem(declared, 'clip-bounds-every-update', clipped, {
      name: seedName,
      // A bound never challenged proves nothing: some step must exceed maxNorm before clipping.
      passes: (r) => r.largestApplied <= bound && r.engaged > 0,
      describe: (r) =>
        `seed ${r.seed}: largest applied norm ${fmt(r.largestApplied, 8)}, raw norm above ${maxNorm} on ${r.engaged}/${r.steps} steps (peak ${fmt(r.largestRaw)})`,
      expected: `applied norm <= ${maxNorm} x (1 + ${BOUND_TOLERANCE}) on every step, and the raw norm above ${maxNorm} on at least one step`,
      values: (r) => ({
        largestAppliedNorm: finiteOrNull(r.largestApplied),
        stepsClipped: r.engaged,
        peakRawNorm: r.largestRaw,
      }),
    }),
    judgedPerItem(declared, 'clipped-run-trains', clipped, {
      name: seedName,
      // NaN compares false: a diverged unclipped run loses to any finite clipped one.
      passes: (r) =>
        r.finite &&
        r.mse < TRAINED_FRACTION * r.first &&
        Number.isFinite(r.mse) &&
        !(r.unclippedMse <= r.mse),
      describe: (r) =>
        `seed ${r.seed}: ${r.finite ? 'all losses finite' : 'a loss was NaN/Inf'}, first loss ${fmt(r.first)}, final MSE ${fmt(r.mse)} clipped vs ${fmt(r.unclippedMse)} unclipped`,
      expected: `every loss finite; final evaluation MSE < ${TRAINED_FRACTION} x the first loss and below the unclipped run's (NaN counts as worse) on every seed`,
      values: (r) => ({
        firstLoss: finiteOrNull(r.first),
        clippedFinalMse: finiteOrNull(r.mse),
        unclippedFinalMse: finiteOrNull(r.unclippedMse),
      }),
    }),
    judgedPerItem(declared, 'gradient-through-time-is-rho-power', laws, {
      name: (l) => `rho${l.rho}`,
      passes: (l) => l.worst <= POWER_LAW_TOLERANCE,
      describe: ({ rho, points: [first], worst }) =>
        `rho ${rho}: ratio at k=1 ${fmt(first?.measured ?? Number.NaN)} (rho^${T - 1} = ${fmt(first?.predicted ?? Number.NaN)}), worst relative error over k=1..${T} ${fmt(worst)}`,
      expected: `rho^(T-k) within ${POWER_LAW_TOLERANCE} relative at every k = 1..${T}, for rho = ${s.rhos.join(' and ')}`,
      values: (l) => ({
        worstRelativeError: finiteOrNull(l.worst),
        ratioAtFirstStep: finiteOrNull(l.points[0]?.measured),
      }),
    }),
  ];
}
