import { describe, expect, it } from 'vitest';
import { checkOf, fastPass, numberOf, refusalOf, verifyFast } from '../../study-kit/test-study.js';
import { residualNormStudy } from './study.js';

describe('residual-norm study', () => {
  it('fast: both plain nets vanish; residual and BatchNorm restore both, LayerNorm only the small-weights net', async () => {
    const v = await fastPass(residualNormStudy);

    const plain = checkOf(v, 'plain-nets-vanish');
    // tanh at gain 0.4 per layer: about 0.4^18 over the hidden layers; sigmoid: far below.
    expect(numberOf(plain, 'smallWeightsRatio')).toBeLessThan(1e-6);
    expect(numberOf(plain, 'sigmoidRatio')).toBeLessThan(1e-8);
    for (const id of ['residual-restores', 'batchnorm-restores']) {
      const c = checkOf(v, id);
      for (const net of ['smallWeights', 'sigmoid']) {
        expect(numberOf(c, `${net}Ratio`)).toBeGreaterThan(0.1);
        expect(numberOf(c, `${net}Accuracy`)).toBeGreaterThan(0.5);
        // Four classes: the plain nets stay at the majority class's share.
        expect(numberOf(c, `${net}PlainAccuracy`)).toBeLessThan(0.35);
      }
    }
    const ln = checkOf(v, 'layernorm-restores-small-weights');
    expect(numberOf(ln, 'smallWeightsRatio')).toBeGreaterThan(0.1);
    const lnSigmoid = checkOf(v, 'layernorm-leaves-sigmoid');
    expect(numberOf(lnSigmoid, 'sigmoidRatio')).toBeLessThan(1e-5);

    expect(v.runs).toHaveLength(8);
    expect(v.figures.map((f) => f.id)).toEqual([
      'signal-profile-smallWeights',
      'loss-smallWeights',
      'signal-profile-sigmoid',
      'loss-sigmoid',
    ]);
  });

  it('counterfactual: with the remedies removed, no remedy check passes', async () => {
    const v = await verifyFast(residualNormStudy, {
      residual: 'none',
      batchnorm: 'none',
      layernorm: 'none',
    });
    // Each arm is the plain net itself: trained once per net.
    expect(v.runs.map((r) => r.label)).toEqual(['smallWeights-plain', 'sigmoid-plain']);
    for (const id of [
      'residual-restores',
      'batchnorm-restores',
      'layernorm-restores-small-weights',
    ]) {
      expect(checkOf(v, id).pass, `${id}: ${checkOf(v, id).measured}`).toBe(false);
    }
  });

  it('counterfactual: a healthy plain net fails "plain-nets-vanish"; LayerNorm restores a small-weights net in the sigmoid slot', async () => {
    const v = await verifyFast(residualNormStudy, {
      smallWeights: { activation: 'tanh', init: 'xavier-normal' },
      sigmoid: { activation: 'tanh', init: { kind: 'normal', std: 0.05 } },
      // Not under test here: left out so that only the plain and LayerNorm arms train.
      residual: 'none',
      batchnorm: 'none',
    });
    const plain = checkOf(v, 'plain-nets-vanish');
    expect(plain.pass, plain.measured).toBe(false);
    expect(numberOf(plain, 'smallWeightsRatio')).toBeGreaterThan(1e-3);
    const ln = checkOf(v, 'layernorm-leaves-sigmoid');
    expect(ln.pass, ln.measured).toBe(false);
    expect(numberOf(ln, 'sigmoidRatio')).toBeGreaterThan(1e-3);
  });
});

describe('residual-norm settings', () => {
  it('refuses a remedy that is not a mitigation variant, naming the setting', async () => {
    const refusal = await refusalOf(residualNormStudy, { batchnorm: 'groupnorm' });
    expect(refusal).toMatch(/settings\.batchnorm is "groupnorm": .*unknown mitigation "groupnorm"/);
    expect(refusal).toContain('or "none" for the plain net');
  });
});
