import { describe, expect, it } from 'vitest';
import { checkOf, fastPass, numberOf, verifyFast } from '../../study-kit/test-study.js';
import { pretrainingStudy } from './study.js';

describe('pretraining study', () => {
  it('fast: pre-training gives the first layer a larger gradient and fine-tunes better', async () => {
    const v = await fastPass(pretrainingStudy);

    const gradient = checkOf(v, 'lower-layers-get-gradient');
    expect(numberOf(gradient, 'factor')).toBeGreaterThan(3);
    const better = checkOf(v, 'pretrained-fine-tunes-better');
    // Ten digits: the randomly initialised sigmoid net stays near chance.
    expect(numberOf(better, 'meanRandom')).toBeLessThan(0.2);
    expect(numberOf(better, 'meanPretrained')).toBeGreaterThan(0.25);
    expect(v.runs.map((r) => r.label)).toEqual(['random-seed0', 'pretrained-seed0']);
    const table = v.tables.find((t) => t.id === 'runs');
    // The pre-trained row lists a reconstruction loss per hidden layer.
    expect(String(table?.rows[1]?.[4]).split(';')).toHaveLength(5);
  });

  it('counterfactual: one pre-training step per layer is no pre-training, and both checks fail', async () => {
    const v = await verifyFast(pretrainingStudy, { pretraining: { stepsPerLayer: 1, lr: 0.01 } });
    for (const id of ['lower-layers-get-gradient', 'pretrained-fine-tunes-better']) {
      expect(checkOf(v, id).pass, `${id}: ${checkOf(v, id).measured}`).toBe(false);
    }
  });
});
