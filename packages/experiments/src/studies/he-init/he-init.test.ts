import { describe, expect, it } from 'vitest';
import { checkOf, fastPass, numberOf, verifyFast } from '../../study-kit/test-study.js';
import { judgeSlope, predictedSignalChange } from './checks.js';
import { heInitStudy } from './study.js';

describe('predictedSignalChange', () => {
  it('comes from the theory for the initialiser given: n Var(w) / 2 per layer on the second moment', () => {
    // Xavier on square layers: Var(w) = 2/(n+n) = 1/n, halved by ReLU: -1/2 log2 per layer on the norm.
    const xavier = predictedSignalChange('xavier-normal', 64);
    expect(xavier.weightVariance).toBeCloseTo(1 / 64, 15);
    expect(xavier.gain).toBeCloseTo(0.5, 12);
    expect(xavier.log2PerLayer).toBeCloseTo(-0.5, 12);
    expect(predictedSignalChange('xavier-uniform', 64).log2PerLayer).toBeCloseTo(-0.5, 12);
    // He: 2/n, exactly compensated.
    expect(predictedSignalChange('he-normal', 64).log2PerLayer).toBeCloseTo(0, 12);
    // Twice He's variance, by a std or by a gain: the second moment doubles per layer.
    expect(predictedSignalChange({ kind: 'normal', std: 0.25 }, 64).log2PerLayer).toBeCloseTo(
      0.5,
      12,
    );
    expect(
      predictedSignalChange({ kind: 'he-normal', gain: Math.SQRT2 }, 64).log2PerLayer,
    ).toBeCloseTo(0.5, 12);
    // LeCun's 1/n gives the same as Xavier on square layers; U(-L, L) has variance L^2/3.
    expect(predictedSignalChange('lecun-normal', 100).gain).toBeCloseTo(0.5, 12);
    expect(predictedSignalChange({ kind: 'uniform', limit: 0.3 }, 100).gain).toBeCloseTo(
      (100 * 0.09) / 3 / 2,
      12,
    );
  });

  it('refuses an initialiser that is not random, naming the setting', () => {
    expect(() => predictedSignalChange('identity', 64, 'settings.heInit')).toThrow(
      /settings\.heInit is "identity"; allowed: a random initialiser/,
    );
  });
});

describe('judgeSlope', () => {
  it('passes only within the tolerance of both the theory and the paper', () => {
    expect(judgeSlope(-0.45, -0.5, -0.5, 0.1).pass).toBe(true);
    // The theory right for this init, but the init is not the one the paper describes.
    expect(judgeSlope(0.02, 0, -0.5, 0.1)).toMatchObject({ pass: false, fromPaper: 0.52 });
    // A wrong theory: the measurement agrees with the paper, not with the prediction.
    expect(judgeSlope(-0.48, 0, -0.5, 0.1).pass).toBe(false);
  });
});

describe('he-init study', () => {
  it('fast: Xavier halves the signal per layer and stalls, He keeps it and trains', async () => {
    const v = await fastPass(heInitStudy);

    const xavier = checkOf(v, 'xavier-signal-halves');
    expect(numberOf(xavier, 'log2PerLayer')).toBeGreaterThan(-0.6);
    expect(numberOf(xavier, 'log2PerLayer')).toBeLessThan(-0.4);
    // 28 layers at sqrt(1/2) each: about 2^-14 from the last hidden layer to the first.
    expect(numberOf(xavier, 'firstToLast')).toBeGreaterThan(2 ** -17);
    expect(numberOf(xavier, 'firstToLast')).toBeLessThan(2 ** -11);
    // The prediction is the theory's for the arm's initialiser, and it agrees with the paper's.
    expect(numberOf(xavier, 'predicted')).toBeCloseTo(-0.5, 12);
    expect(numberOf(xavier, 'fromTheory')).toBeLessThan(0.035);
    const he = checkOf(v, 'he-signal-constant');
    expect(numberOf(he, 'predicted')).toBeCloseTo(0, 12);
    expect(Math.abs(numberOf(he, 'log2PerLayer'))).toBeLessThan(0.035);
    expect(numberOf(he, 'firstToLast')).toBeGreaterThan(0.5);
    // The mean over the draws is known to 0.005: a tenth of what a 10% error in Var(w) moves it.
    for (const c of [xavier, he]) {
      expect(numberOf(c, 'draws')).toBe(heInitStudy.settings.fast.signalDraws);
      expect(numberOf(c, 'standardError')).toBeLessThan(0.007);
      expect(numberOf(c, 'spread')).toBeLessThan(0.035);
    }
    expect(numberOf(checkOf(v, 'he-trains'), 'minDrop')).toBeGreaterThan(0.2);
    expect(numberOf(checkOf(v, 'xavier-stalls'), 'maxDrop')).toBeLessThan(0.02);

    // The draws per arm at initialisation, then one trained net per arm and seed.
    expect(v.runs).toHaveLength(2 * heInitStudy.settings.fast.signalDraws + 2);
    expect(v.runs.slice(-2).map((r) => r.label)).toEqual(['xavier-seed0', 'he-seed0']);
    const profile = v.figures.find((f) => f.id === 'signal-profile');
    expect(new Set(profile?.points.map((p) => p.series))).toEqual(
      new Set(['Xavier, measured', 'He, measured', 'Xavier, predicted', 'He, predicted']),
    );
    expect(profile?.points.filter((p) => p.series === 'He, measured')).toHaveLength(29);
  });

  it('counterfactual: with the inits swapped, every check fails', async () => {
    const v = await verifyFast(heInitStudy, { xavierInit: 'he-normal', heInit: 'xavier-normal' });
    for (const id of ['xavier-signal-halves', 'he-signal-constant', 'he-trains', 'xavier-stalls']) {
      expect(checkOf(v, id).pass, `${id}: ${checkOf(v, id).measured}`).toBe(false);
    }
    // The theory follows the swap: it predicts each arm's new init and still describes the net;
    // what fails is the paper's claim about the arm.
    const xavier = checkOf(v, 'xavier-signal-halves');
    expect(numberOf(xavier, 'predicted')).toBeCloseTo(0, 12);
    expect(numberOf(xavier, 'fromTheory')).toBeLessThan(0.1);
    expect(numberOf(xavier, 'fromPaper')).toBeGreaterThan(0.3);
    const he = checkOf(v, 'he-signal-constant');
    expect(numberOf(he, 'predicted')).toBeCloseTo(-0.5, 12);
    expect(numberOf(he, 'fromTheory')).toBeLessThan(0.035);
  });

  // A 10% error in Var(w) is 0.07 log2 per layer, x14 (or x0.05) on the second moment over the
  // 28 layers: the theory still describes the net, the paper's claim about the arm no longer.
  // One step is enough: only the signal checks at initialisation are under test.
  it('counterfactual: Var(w) 10% above He (and 10% below Xavier) fails both signal checks', async () => {
    const v = await verifyFast(heInitStudy, {
      steps: 1,
      heInit: { kind: 'he-normal', gain: Math.sqrt(1.1) },
      xavierInit: { kind: 'xavier-normal', gain: Math.sqrt(0.9) },
    });
    const he = checkOf(v, 'he-signal-constant');
    expect(he.pass, he.measured).toBe(false);
    expect(numberOf(he, 'predicted')).toBeCloseTo(Math.log2(1.1) / 2, 12);
    expect(numberOf(he, 'fromTheory')).toBeLessThan(0.035);
    expect(numberOf(he, 'log2PerLayer')).toBeGreaterThan(0.045);
    const xavier = checkOf(v, 'xavier-signal-halves');
    expect(xavier.pass, xavier.measured).toBe(false);
    expect(numberOf(xavier, 'fromTheory')).toBeLessThan(0.035);
    expect(numberOf(xavier, 'log2PerLayer')).toBeLessThan(-0.56);
  });

  it('counterfactual: Var(w) 10% below He (and 10% above Xavier) fails both signal checks', async () => {
    const v = await verifyFast(heInitStudy, {
      steps: 1,
      heInit: { kind: 'he-normal', gain: Math.sqrt(0.9) },
      xavierInit: { kind: 'xavier-normal', gain: Math.sqrt(1.1) },
    });
    const he = checkOf(v, 'he-signal-constant');
    expect(he.pass, he.measured).toBe(false);
    expect(numberOf(he, 'predicted')).toBeCloseTo(Math.log2(0.9) / 2, 12);
    expect(numberOf(he, 'log2PerLayer')).toBeLessThan(-0.06);
    const xavier = checkOf(v, 'xavier-signal-halves');
    expect(xavier.pass, xavier.measured).toBe(false);
    expect(numberOf(xavier, 'log2PerLayer')).toBeGreaterThan(-0.465);
  });
});
