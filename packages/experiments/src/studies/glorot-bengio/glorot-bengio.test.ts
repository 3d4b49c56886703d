import { wasmBackend } from '@gradlab/backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { runStudy } from '../../verify/run-study.js';
import { checkOf, numberOf, verifyFast } from '../training-measures/test-study.js';
import { glorotBengioStudy } from './glorot-bengio.js';

beforeAll(async () => {
  await wasmBackend.activate();
});

describe('glorot-bengio study', () => {
  it('fast: the sigmoid net saturates its top layer and stalls; tanh + Xavier trains', async () => {
    const v = await verifyFast(glorotBengioStudy);
    for (const c of v.checks) expect(c.pass, `${c.id}: ${c.measured}`).toBe(true);

    // The variance argument at step 1: sigmoid with Var(W) = 1/(3n) passes 1/3 x E[sigmoid'^2]
    // (just under 1/16 at q = 0.08) = 0.020 per layer; tanh with Xavier E[tanh'^2], about 0.85.
    const variance = checkOf(v, 'variance-argument');
    expect(numberOf(variance, 'saturating.predicted')).toBeGreaterThan(0.018);
    expect(numberOf(variance, 'saturating.predicted')).toBeLessThan(1 / 48);
    expect(numberOf(variance, 'normalised.predicted')).toBeGreaterThan(0.75);
    expect(numberOf(variance, 'normalised.predicted')).toBeLessThan(0.95);
    for (const arm of ['saturating', 'normalised']) {
      expect(Math.abs(numberOf(variance, `${arm}.ratio`) - 1)).toBeLessThan(0.1);
      // Not an average of misses: every single layer lands within 15% (one scatters by about 4%).
      expect(numberOf(variance, `${arm}.worstLayer`)).toBeLessThan(0.15);
    }
    const gain = v.figures.find((f) => f.id === 'backward-gain');
    // Two nets, measured and predicted, at hidden layers 2 to 4.
    expect(gain?.points).toHaveLength(2 * 2 * 3);
    expect(v.tables?.find((t) => t.id === 'backward-gain')?.rows).toHaveLength(2 * 3);

    const saturation = checkOf(v, 'top-layer-saturates');
    // Sigmoid starts at 0.5 everywhere; the top layer ends near 0, the others near 0.5 or above.
    expect(numberOf(saturation, 'maxTop')).toBeLessThan(0.1);
    expect(numberOf(saturation, 'maxTop')).toBeGreaterThan(0);
    expect(numberOf(saturation, 'minLower')).toBeGreaterThan(0.4);
    expect(numberOf(saturation, 'seed0ReachedAtStep')).toBeGreaterThan(1);
    expect(numberOf(checkOf(v, 'sigmoid-learns-slowly'), 'minLoss')).toBeGreaterThan(2.2);
    const trains = checkOf(v, 'tanh-xavier-trains');
    expect(numberOf(trains, 'meanTanh')).toBeGreaterThan(0.7);
    expect(numberOf(trains, 'maxLoss')).toBeLessThan(0.8);
    // Ten classes: the stalled sigmoid net is near chance.
    expect(numberOf(trains, 'meanSigmoid')).toBeLessThan(0.3);

    const means = v.figures.find((f) => f.id === 'activation-means-saturating');
    expect(new Set(means?.points.map((p) => p.series))).toEqual(
      new Set(['layer 1', 'layer 2', 'layer 3', 'layer 4']),
    );
  });

  it('counterfactual: with tanh + Xavier in both arms, every check fails', async () => {
    const v = await verifyFast(glorotBengioStudy, {
      saturating: { activation: 'tanh', init: 'xavier-uniform', lr: 0.1 },
    });
    for (const id of ['top-layer-saturates', 'sigmoid-learns-slowly', 'tanh-xavier-trains']) {
      expect(checkOf(v, id).pass, `${id}: ${checkOf(v, id).measured}`).toBe(false);
    }
    // The variance argument follows the arms' actual inits, so it still describes both nets.
    const variance = checkOf(v, 'variance-argument');
    expect(variance.pass, variance.measured).toBe(true);
    expect(numberOf(variance, 'saturating.predicted')).toBeGreaterThan(0.75);
  });

  it("counterfactual: each net judged against the other init's variance fails the variance argument", async () => {
    const fast = glorotBengioStudy.settings.fast;
    const v = await verifyFast(glorotBengioStudy, {
      steps: 1,
      saturating: { ...fast.saturating, theoryInit: 'xavier-uniform' },
      normalised: { ...fast.normalised, theoryInit: 'standard' },
    });
    const variance = checkOf(v, 'variance-argument');
    expect(variance.pass, variance.measured).toBe(false);
    // Var(W) is 1/n against 1/(3n): the sigmoid net measures about a third of the prediction,
    // the tanh net about three times it (less, since q shrinks with Var(W) and E[tanh'^2] grows).
    expect(numberOf(variance, 'saturating.ratio')).toBeLessThan(0.4);
    expect(numberOf(variance, 'normalised.ratio')).toBeGreaterThan(2);
  });

  it('counterfactual: before training (one step) the top layer is not saturated', async () => {
    const v = await verifyFast(glorotBengioStudy, { steps: 1 });
    const saturation = checkOf(v, 'top-layer-saturates');
    expect(saturation.pass).toBe(false);
    expect(numberOf(saturation, 'maxTop')).toBeGreaterThan(0.45);
  });

  it('refuses an unbounded activation, naming the setting', async () => {
    const v = await runStudy(glorotBengioStudy, {
      scale: 'fast',
      settings: { normalised: { activation: 'relu' as 'tanh', init: 'he-normal', lr: 0.1 } },
    });
    expect(v.status).toBe('error');
    expect(v.error).toMatch(/settings\.normalised\.activation is "relu"; allowed: sigmoid or tanh/);
  });
});
