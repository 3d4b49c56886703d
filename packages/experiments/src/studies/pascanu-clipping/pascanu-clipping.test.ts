import { describe, expect, it } from 'vitest';
import { checkOf, fastPass, numberOf, verifyFast } from '../../study-kit/test-study.js';
import { pascanuClippingStudy as study } from './study.js';

describe('pascanu-clipping', () => {
  it('with the fast settings every declared check passes, with the numbers behind it', async () => {
    const outcome = await fastPass(study);

    const explodes = checkOf(outcome, 'explodes-without-clipping');
    // null: the loss overflowed to NaN/Inf, an unbounded growth.
    expect(explodes.values?.['seed0.lossGrowth'] ?? Number.POSITIVE_INFINITY).toBeGreaterThan(10);
    expect(numberOf(explodes, 'seed0.peakGradNorm')).toBeGreaterThan(1e3);

    const bounded = checkOf(outcome, 'clip-bounds-every-update');
    const applied = numberOf(bounded, 'seed0.largestAppliedNorm');
    // Clipping rescales to exactly maxNorm = 1, up to float32 rounding.
    expect(applied).toBeLessThanOrEqual(1 + 1e-5);
    expect(applied).toBeGreaterThan(0.999);
    expect(numberOf(bounded, 'seed0.stepsClipped')).toBeGreaterThan(10);
    expect(numberOf(bounded, 'seed0.peakRawNorm')).toBeGreaterThan(5);

    const trains = checkOf(outcome, 'clipped-run-trains');
    const clippedMse = numberOf(trains, 'seed0.clippedFinalMse');
    expect(clippedMse).toBeLessThan(0.5 * numberOf(trains, 'seed0.firstLoss'));
    // null: the unclipped run's weights overflowed and its MSE is NaN.
    expect(trains.values?.['seed0.unclippedFinalMse'] ?? Number.POSITIVE_INFINITY).toBeGreaterThan(
      clippedMse,
    );

    const law = checkOf(outcome, 'gradient-through-time-is-rho-power');
    const T = study.settings.fast.linearLength;
    expect(numberOf(law, 'rho0.9.worstRelativeError')).toBeLessThan(1e-4);
    expect(numberOf(law, 'rho1.1.worstRelativeError')).toBeLessThan(1e-4);
    expect(numberOf(law, 'rho0.9.ratioAtFirstStep')).toBeCloseTo(0.9 ** (T - 1), 5);
    expect(numberOf(law, 'rho1.1.ratioAtFirstStep')).toBeCloseTo(1.1 ** (T - 1), 2);

    expect(outcome.figures.map((f) => f.id)).toEqual([
      'loss-curves',
      'gradient-norm',
      'gradient-through-time',
    ]);
    for (const f of outcome.figures) {
      expect(f.points.length, f.id).toBeGreaterThan(0);
      // Every figure has a log y axis: only positive finite values can be drawn.
      for (const p of f.points) expect(Number(p.y) > 0 && Number.isFinite(Number(p.y))).toBe(true);
    }
    const through = outcome.figures[2]?.points ?? [];
    expect(through.filter((p) => p.series === 'measured, rho = 0.9')).toHaveLength(T);
  });

  it('a "clipped" arm that does not clip fails the bound and the training check', async () => {
    const v = await verifyFast(study, { clipping: false, rhos: [] });
    const bounded = checkOf(v, 'clip-bounds-every-update');
    expect(bounded.pass).toBe(false);
    // Its applied gradient is the raw one, which overflows: far above the threshold, or NaN.
    expect(
      bounded.values?.['seed0.largestAppliedNorm'] ?? Number.POSITIVE_INFINITY,
    ).toBeGreaterThan(1e3);
    expect(checkOf(v, 'clipped-run-trains').pass).toBe(false);
    expect(checkOf(v, 'explodes-without-clipping').pass).toBe(true);
    // No linear RNN was run: nothing measured is a failure, not a vacuous pass.
    expect(checkOf(v, 'gradient-through-time-is-rho-power').pass).toBe(false);
  });

  it('at a small enough step the unclipped run does not explode, and the check says so', async () => {
    const v = await verifyFast(study, { lr: 0.01, rhos: [] });
    const explodes = checkOf(v, 'explodes-without-clipping');
    expect(explodes.pass).toBe(false);
    expect(explodes.values?.['seed0.lossGrowth']).toBeLessThan(10);
  });

  it('a Gaussian recurrent kernel of the same spectral radius is off the rho^(T-k) law', async () => {
    const v = await verifyFast(study, { linearRecurrent: 'gaussian', seeds: [] });
    const law = checkOf(v, 'gradient-through-time-is-rho-power');
    expect(law.pass).toBe(false);
    expect(law.values?.['rho0.9.worstRelativeError']).toBeGreaterThan(1e-2);
    expect(checkOf(v, 'explodes-without-clipping').pass).toBe(false);
  });
});
