import { describe, expect, it } from 'vitest';
import {
  CONVERGED_LOSS_FRACTION,
  CONVERGED_MEAN_FRACTION,
  converges,
  type DeepArm,
  deepDecayCheck,
  deepLargeCheck,
  EXPLODED_FACTOR,
  explodes,
} from './deep-network.js';

/** A run that trained well: loss from 2 to 0.2 against a mean predictor at 0.6. */
const trained: DeepArm = {
  arm: 'small-constant',
  seed: 0,
  lr: 0.03,
  schedule: { kind: 'constant' },
  firstLoss: 2,
  finalLoss: 0.2,
  meanLoss: 0.6,
  lossGrowth: 1.2,
  gradGrowth: 1.5,
  blowUpStep: null,
  nonFiniteSteps: 0,
  firstUpdateToWeights: 0.02,
  gradAtPeakToFirst: 1,
};

describe('the deep-network judgements', () => {
  it('a network that fell to the mean predictor has not converged, though its loss fell by 70%', () => {
    // All ReLUs dead, the output bias learned the mean: exactly the mean predictor's loss.
    const dead = { ...trained, finalLoss: 0.6 };
    expect(dead.finalLoss / dead.firstLoss).toBeLessThan(CONVERGED_LOSS_FRACTION);
    expect(converges(dead)).toBe(false);
    expect(converges(trained)).toBe(true);
    // Just inside and just outside the stated fraction of the mean predictor.
    expect(converges({ ...trained, finalLoss: 0.99 * CONVERGED_MEAN_FRACTION * 0.6 })).toBe(true);
    expect(converges({ ...trained, finalLoss: 1.01 * CONVERGED_MEAN_FRACTION * 0.6 })).toBe(false);
  });

  it('a loss that fell by less than the stated fraction of its start has not converged', () => {
    const slow = { ...trained, firstLoss: 0.7, finalLoss: 0.4 };
    expect(slow.finalLoss).toBeLessThan(CONVERGED_MEAN_FRACTION * slow.meanLoss);
    expect(converges(slow)).toBe(false);
  });

  it('one NaN/Inf step fails convergence, whatever the final loss', () => {
    expect(converges({ ...trained, nonFiniteSteps: 1 })).toBe(false);
  });

  it('an explosion needs both the loss and the gradient norm past the factor', () => {
    const big = EXPLODED_FACTOR * 2;
    expect(explodes({ ...trained, lossGrowth: big, gradGrowth: big })).toBe(true);
    expect(explodes({ ...trained, lossGrowth: Infinity, gradGrowth: Infinity })).toBe(true);
    expect(explodes({ ...trained, lossGrowth: big, gradGrowth: 10 })).toBe(false);
    expect(explodes({ ...trained, lossGrowth: 10, gradGrowth: big })).toBe(false);
  });

  it('a check with nothing to judge fails, and one seed that does not explode fails it', () => {
    expect(deepLargeCheck([], 0.5).pass).toBe(false);
    const exploded = {
      ...trained,
      arm: 'large-constant',
      lossGrowth: Infinity,
      gradGrowth: Infinity,
    };
    expect(deepLargeCheck([exploded, { ...exploded, seed: 1 }], 0.5).pass).toBe(true);
    expect(deepLargeCheck([exploded, { ...exploded, seed: 1, lossGrowth: 3 }], 0.5).pass).toBe(
      false,
    );
  });

  it('the decay check fails when a declared schedule has no run', () => {
    const ran = { ...trained, arm: 'warmup-cosine' };
    const schedules = [
      { label: 'warmup-cosine', schedule: { kind: 'cosine', warmupSteps: 100 } },
      { label: 'warmup-step', schedule: { kind: 'step', every: 50, warmupSteps: 100 } },
    ] as const;
    expect(deepDecayCheck([ran], schedules.slice(0, 1)).pass).toBe(true);
    expect(deepDecayCheck([ran], schedules).pass).toBe(false);
    expect(deepDecayCheck([], []).pass).toBe(false);
  });
});
