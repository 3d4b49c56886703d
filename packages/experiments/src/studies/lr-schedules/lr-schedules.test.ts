import { describe, expect, it } from 'vitest';
import { checkOf, fastPass, verifyFast } from '../../study-kit/test-study.js';
import { lrSchedulesStudy as study } from './study.js';

describe('lr-schedules', () => {
  it('with the fast settings every declared check passes, with the numbers behind it', async () => {
    const outcome = await fastPass(study);

    const large = checkOf(outcome, 'large-step-diverges').values ?? {};
    // null: the loss left float32's range, an unbounded growth.
    expect(large['large-constant.growth'] ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1e3);

    const small = checkOf(outcome, 'small-step-converges').values ?? {};
    expect(Math.abs(small['small-constant.gapToMinimum'] ?? 1)).toBeLessThan(1e-3);

    const decay = checkOf(outcome, 'decay-from-large-step-converges').values ?? {};
    for (const label of ['large-step', 'large-exponential', 'large-cosine']) {
      expect(Math.abs(decay[`${label}.gapToMinimum`] ?? 1), label).toBeLessThan(1e-3);
    }

    const threshold = checkOf(outcome, 'threshold-is-2-over-L').values ?? {};
    // The teacher's targets are not linear in the inputs: the minimum is well above zero.
    expect(threshold.minLoss).toBeGreaterThan(0.01);
    expect(threshold.criticalLr).toBeGreaterThan(0);
    expect(Math.abs(threshold['just-below.gapToMinimum'] ?? 1)).toBeLessThan(1e-3);
    expect(threshold['just-above.growth'] ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1e3);

    const fast = study.settings.fast;
    const deepLarge = checkOf(outcome, 'deep-large-step-explodes').values ?? {};
    for (const seed of fast.deepSeeds) {
      const key = `deep-large-constant-s${seed}`;
      // null: the loss or gradient norm left float32's range.
      expect(deepLarge[`${key}.lossGrowth`] ?? Number.POSITIVE_INFINITY, key).toBeGreaterThan(1e3);
      expect(deepLarge[`${key}.gradGrowth`] ?? Number.POSITIVE_INFINITY, key).toBeGreaterThan(1e3);
      // Within a few steps: the first update already moves the weights by a tenth of their norm.
      expect(deepLarge[`${key}.blowUpStep`], key).toBeLessThanOrEqual(5);
      expect(deepLarge[`${key}.firstUpdateToWeights`], key).toBeGreaterThan(0.1);
    }
    const deepSmall = checkOf(outcome, 'deep-small-step-converges').values ?? {};
    const deepDecay = checkOf(outcome, 'deep-decay-from-large-step-converges').values ?? {};
    for (const seed of fast.deepSeeds) {
      for (const [values, key] of [
        [deepSmall, `deep-small-constant-s${seed}`],
        [deepDecay, `deep-warmup-cosine-s${seed}`],
      ] as const) {
        expect(values[`${key}.nonFiniteSteps`], key).toBe(0);
        expect(values[`${key}.toFirst`], key).toBeLessThan(0.5);
        // Well below the mean predictor: the network learned the teacher, not only its mean.
        expect(values[`${key}.toMeanPredictor`], key).toBeLessThan(0.8);
      }
    }

    expect(outcome.figures.map((f) => f.id)).toEqual([
      'loss-curves',
      'learning-rate',
      'gradient-norm',
      'deep-loss-curves',
      'deep-gradient-norm',
    ]);
    for (const f of outcome.figures) {
      expect(f.points.length, f.id).toBeGreaterThan(0);
      for (const p of f.points) expect(Number(p.y) > 0 && Number.isFinite(Number(p.y))).toBe(true);
    }
    // The schedules start at 1.2 x 2/L and the decays end below 1.
    const lr = outcome.figures[1]?.points ?? [];
    const cosine = lr.filter((p) => p.series === 'large-cosine').map((p) => Number(p.y));
    expect(cosine[0]).toBeCloseTo(1.2, 6);
    expect(cosine.at(-1)).toBeLessThan(1);
    // The deep figures draw the first seed's three runs; the exploding one only until it overflows.
    const deepLoss = outcome.figures[3]?.points ?? [];
    const steps = (series: string) => deepLoss.filter((p) => p.series === series).length;
    expect(steps('small-constant')).toBe(fast.deepSteps);
    expect(steps('warmup-cosine')).toBe(fast.deepSteps);
    const table = outcome.tables?.find((t) => t.id === 'deep-arms');
    expect(table?.rows.length).toBe(3 * fast.deepSeeds.length);
  });

  it('the "smaller step" given the large step diverges, and its check fails', async () => {
    const v = await verifyFast(study, {
      smallFactor: study.settings.fast.largeFactor,
      decays: [],
      deepSeeds: [],
    });
    const small = checkOf(v, 'small-step-converges');
    expect(small.pass).toBe(false);
    expect(
      small.values?.['small-constant.gapToMinimum'] ?? Number.POSITIVE_INFINITY,
    ).toBeGreaterThan(1);
    // No decaying schedule and no deep network was run: nothing measured is a failure, not a
    // vacuous pass.
    expect(checkOf(v, 'decay-from-large-step-converges').pass).toBe(false);
    for (const id of [
      'deep-large-step-explodes',
      'deep-small-step-converges',
      'deep-decay-from-large-step-converges',
    ]) {
      expect(checkOf(v, id).pass, id).toBe(false);
    }
  });

  it('a "large step" below 2/L does not diverge, and its check fails', async () => {
    const v = await verifyFast(study, { largeFactor: 0.9, decays: [], deepSeeds: [] });
    const large = checkOf(v, 'large-step-diverges');
    expect(large.pass).toBe(false);
    expect(large.values?.['large-constant.growth']).toBeLessThan(1);
  });

  it('a "decay" that keeps the large step constant diverges, and the decay check fails', async () => {
    const v = await verifyFast(study, {
      decays: [{ label: 'no-decay', schedule: { kind: 'constant' } }],
      deepSeeds: [],
    });
    const decay = checkOf(v, 'decay-from-large-step-converges');
    expect(decay.pass).toBe(false);
    expect(decay.values?.['large-no-decay.growth'] ?? Number.POSITIVE_INFINITY).toBeGreaterThan(
      1e3,
    );
  });

  it('with mini-batches the 2/L law of gradient descent no longer holds', async () => {
    const v = await verifyFast(study, { batchSize: 32, decays: [], deepSeeds: [] });
    const threshold = checkOf(v, 'threshold-is-2-over-L');
    expect(threshold.pass).toBe(false);
    // The mini-batch curvature exceeds the whole set's: just below 2/L already diverges.
    expect(threshold.values?.['just-below.growth'] ?? Number.POSITIVE_INFINITY).toBeGreaterThan(
      1e3,
    );
    // Even half of 2/L no longer reaches the minimum: SGD's noise keeps it away.
    const small = checkOf(v, 'small-step-converges');
    expect(small.pass).toBe(false);
    expect(small.values?.['small-constant.gapToMinimum']).toBeGreaterThan(0.1);
  });

  it('in the deep network, the two rates swapped: the large check and the small check fail', async () => {
    const fast = study.settings.fast;
    const v = await verifyFast(study, {
      deepSmallLr: fast.deepLargeLr,
      deepLargeLr: fast.deepSmallLr,
      deepDecays: [],
      deepSeeds: [0],
    });
    const large = checkOf(v, 'deep-large-step-explodes');
    expect(large.pass).toBe(false);
    // The "large" rate of 0.03 neither blows the loss up nor the gradient.
    expect(large.values?.['deep-large-constant-s0.lossGrowth']).toBeLessThan(10);
    expect(large.values?.['deep-large-constant-s0.blowUpStep']).toBeNull();
    const small = checkOf(v, 'deep-small-step-converges');
    expect(small.pass).toBe(false);
    expect(small.values?.['deep-small-constant-s0.nonFiniteSteps']).toBeGreaterThan(0);
  });

  it('a cosine decay from the large rate without warm-up blows up, and the decay check fails', async () => {
    const v = await verifyFast(study, {
      deepDecays: [{ label: 'cosine-no-warmup', schedule: { kind: 'cosine' } }],
      deepSeeds: [0],
    });
    const decay = checkOf(v, 'deep-decay-from-large-step-converges');
    expect(decay.pass).toBe(false);
    // Over the first steps the decay is still at ~the large rate: it explodes like the constant.
    expect(decay.values?.['deep-cosine-no-warmup-s0.nonFiniteSteps']).toBeGreaterThan(0);
    expect(checkOf(v, 'deep-large-step-explodes').pass).toBe(true);
  });
});
