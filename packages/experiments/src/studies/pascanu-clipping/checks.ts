import { formatNumber } from '@gradlab/core';
import type { CheckResult, TrainedRun } from '../../study.js';
import { type Explosion, measureExplosion } from './explosion.js';
import type { PowerLawPoint } from './gradient-through-time.js';
import type { PascanuClippingSettings } from './settings.js';

/** A loss or gradient norm this many times its first value counts as a blow-up. */
const BLOW_UP_FACTOR = 10;
/** Float32 slack on the clipped norm: the rescale and the norm are both rounded. */
const BOUND_TOLERANCE = 1e-5;
/** float32 over a few dozen products of an orthogonal matrix: errors near 1e-6 are expected. */
const POWER_LAW_TOLERANCE = 1e-4;
/** The clipped run must end at most at this fraction of its first loss. */
const TRAINED_FRACTION = 0.5;

/** The checks, declared ahead of running and reported with the same id and claim. */
export const CLAIMS = {
  explodes: {
    id: 'explodes-without-clipping',
    claim:
      'Without clipping, the gradient norm and the loss of the tanh RNN blow up (the exploding-gradient problem).',
  },
  bounded: {
    id: 'clip-bounds-every-update',
    claim:
      'With global-norm clipping, no update uses a gradient whose norm exceeds the threshold maxNorm, though the raw gradient does.',
  },
  trains: {
    id: 'clipped-run-trains',
    claim:
      'With clipping the loss stays finite and ends well below where it started, and below the unclipped run.',
  },
  powerLaw: {
    id: 'gradient-through-time-is-rho-power',
    claim:
      'For a linear RNN with W = rho Q (Q orthogonal) and the loss on the last step, ||dL/dh_k|| / ||dL/dh_T|| = rho^(T-k) at every k.',
  },
} as const;

const fmt = (x: number | null, digits = 3): string =>
  x === null || Number.isNaN(x)
    ? 'NaN'
    : Number.isFinite(x)
      ? formatNumber(x, { digits })
      : 'unbounded (NaN/Inf)';
export const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The norm of the gradient each step's update applied: after clipping when the run clips. */
export const appliedNorm = (run: TrainedRun, i: number): number => {
  const d = run.steps[i];
  if (!d) return Number.NaN;
  return d.telemetry['clip.postNorm'] ?? d.globalGradNorm;
};

export interface Pair {
  readonly seed: number;
  readonly unclipped: TrainedRun;
  readonly clipped: TrainedRun;
  readonly unclippedExplosion: Explosion;
  readonly clippedExplosion: Explosion;
}

export function explosionOf(run: TrainedRun): Explosion {
  return measureExplosion(
    run.losses,
    run.steps.map((d) => d.globalGradNorm),
    BLOW_UP_FACTOR,
  );
}

export function explodesCheck(pairs: readonly Pair[]): CheckResult {
  const pass =
    pairs.length > 0 &&
    pairs.every(
      (p) =>
        p.unclippedExplosion.lossGrowth > BLOW_UP_FACTOR &&
        p.unclippedExplosion.gradGrowth > BLOW_UP_FACTOR,
    );
  return {
    ...CLAIMS.explodes,
    pass,
    measured: pairs
      .map(
        (p) =>
          `seed ${p.seed}: loss growth ${fmt(p.unclippedExplosion.lossGrowth)} (first blow-up at step ${p.unclippedExplosion.blowUpStep ?? 'none'}), gradient-norm growth ${fmt(p.unclippedExplosion.gradGrowth)}`,
      )
      .join('; '),
    expected: `loss and gradient norm each exceed ${BLOW_UP_FACTOR}x their step-1 values (or become NaN/Inf) on every seed`,
    values: Object.fromEntries(
      pairs.flatMap((p) => [
        [`seed${p.seed}.lossGrowth`, finiteOrNull(p.unclippedExplosion.lossGrowth)],
        [`seed${p.seed}.gradGrowth`, finiteOrNull(p.unclippedExplosion.gradGrowth)],
        [`seed${p.seed}.peakGradNorm`, p.unclippedExplosion.peakGradNorm],
      ]),
    ),
  };
}

export function boundCheck(pairs: readonly Pair[], maxNorm: number): CheckResult {
  const bound = maxNorm * (1 + BOUND_TOLERANCE);
  const per = pairs.map((p) => {
    const applied = p.clipped.steps.map((_, i) => appliedNorm(p.clipped, i));
    const largestApplied = applied.reduce(
      (m, v) => (Number.isFinite(v) ? Math.max(m, v) : Number.POSITIVE_INFINITY),
      0,
    );
    const pre = p.clipped.steps.map((d) => d.globalGradNorm);
    const engaged = pre.filter((v) => !(v <= maxNorm)).length;
    return {
      seed: p.seed,
      largestApplied,
      largestPre: p.clippedExplosion.peakGradNorm,
      engaged,
      steps: pre.length,
    };
  });
  // A bound never challenged proves nothing: some step must have exceeded maxNorm before clipping.
  const pass = per.length > 0 && per.every((r) => r.largestApplied <= bound && r.engaged > 0);
  return {
    ...CLAIMS.bounded,
    pass,
    measured: per
      .map(
        (r) =>
          `seed ${r.seed}: largest applied norm ${fmt(r.largestApplied, 8)}, raw norm above ${maxNorm} on ${r.engaged}/${r.steps} steps (peak ${fmt(r.largestPre)})`,
      )
      .join('; '),
    expected: `applied norm <= ${maxNorm} x (1 + ${BOUND_TOLERANCE}) on every step, and the raw norm above ${maxNorm} on at least one step`,
    values: Object.fromEntries(
      per.flatMap((r) => [
        [`seed${r.seed}.largestAppliedNorm`, finiteOrNull(r.largestApplied)],
        [`seed${r.seed}.stepsClipped`, r.engaged],
        [`seed${r.seed}.peakRawNorm`, r.largestPre],
      ]),
    ),
  };
}

export const evaluationLoss = (run: TrainedRun): number =>
  run.result.evaluation?.loss ?? Number.POSITIVE_INFINITY;

export function trainsCheck(pairs: readonly Pair[]): CheckResult {
  const per = pairs.map((p) => {
    const first = p.clipped.losses[0] ?? Number.NaN;
    const clipped = evaluationLoss(p.clipped);
    const unclipped = evaluationLoss(p.unclipped);
    const finite = p.clipped.losses.every(Number.isFinite);
    // NaN compares false: a diverged unclipped run loses to any finite clipped one.
    const beats = Number.isFinite(clipped) && !(unclipped <= clipped);
    return { seed: p.seed, first, clipped, unclipped, finite, beats };
  });
  const pass =
    per.length > 0 &&
    per.every((r) => r.finite && r.clipped < TRAINED_FRACTION * r.first && r.beats);
  return {
    ...CLAIMS.trains,
    pass,
    measured: per
      .map(
        (r) =>
          `seed ${r.seed}: ${r.finite ? 'all losses finite' : 'a loss was NaN/Inf'}, first loss ${fmt(r.first)}, final MSE ${fmt(r.clipped)} clipped vs ${fmt(r.unclipped)} unclipped`,
      )
      .join('; '),
    expected: `every loss finite; final evaluation MSE < ${TRAINED_FRACTION} x the first loss and below the unclipped run's (NaN counts as worse) on every seed`,
    values: Object.fromEntries(
      per.flatMap((r) => [
        [`seed${r.seed}.firstLoss`, finiteOrNull(r.first)],
        [`seed${r.seed}.clippedFinalMse`, finiteOrNull(r.clipped)],
        [`seed${r.seed}.unclippedFinalMse`, finiteOrNull(r.unclipped)],
      ]),
    ),
  };
}

export interface PowerLaw {
  readonly rho: number;
  readonly points: readonly PowerLawPoint[];
  readonly worst: number;
}

export function powerLawCheck(laws: readonly PowerLaw[], s: PascanuClippingSettings): CheckResult {
  const T = s.linearLength;
  const pass = laws.length > 0 && laws.every((l) => l.worst <= POWER_LAW_TOLERANCE);
  return {
    ...CLAIMS.powerLaw,
    pass,
    measured: laws
      .map((l) => {
        const first = l.points[0];
        return `rho ${l.rho}: ratio at k=1 ${fmt(first?.measured ?? Number.NaN)} (rho^${T - 1} = ${fmt(first?.predicted ?? Number.NaN)}), worst relative error over k=1..${T} ${fmt(l.worst)}`;
      })
      .join('; '),
    expected: `rho^(T-k) within ${POWER_LAW_TOLERANCE} relative at every k = 1..${T}, for rho = ${s.rhos.join(' and ')}`,
    values: Object.fromEntries(
      laws.flatMap((l) => [
        [`rho${l.rho}.worstRelativeError`, finiteOrNull(l.worst)],
        [`rho${l.rho}.ratioAtFirstStep`, finiteOrNull(l.points[0]?.measured ?? Number.NaN)],
      ]),
    ),
  };
}
