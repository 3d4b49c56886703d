import { describe, expect, test } from 'vitest';
import { checkOf, fastPass, numberOf, refusalOf, verifyFast } from '../../study-kit/test-study.js';
import type { StudyVerification } from '../../verify/verification.js';
import { deepLinearStudy } from './study.js';

const fast = deepLinearStudy.settings.fast;

describe('deep-linear study (fast settings, wasm)', () => {
  let outcome: StudyVerification;

  test('every check passes, with numbers that say why, and no tensor is left behind', async () => {
    outcome = await fastPass(deepLinearStudy);

    // Orthogonal: float32 rounding only, growing with depth but far below the tolerance.
    const isometry = checkOf(outcome, 'orthogonal-isometry');
    expect(numberOf(isometry, 'maxDeviation')).toBeGreaterThan(0);
    expect(numberOf(isometry, 'maxDeviation')).toBeLessThan(1e-5);
    // Gaussian: (1/N) tr JJ^T near 1 at depth 1 (sampling sd 0.022 at N = 64), s^4 near L + 1.
    const mean = checkOf(outcome, 'gaussian-mean-squared-singular-value');
    expect(Math.abs(numberOf(mean, 'meanL1') - 1)).toBeLessThan(0.05);
    const second = checkOf(outcome, 'gaussian-second-moment');
    expect(numberOf(second, 'secondL1')).toBeCloseTo(2, 0);
    expect(numberOf(second, 'secondL8') / numberOf(second, 'secondL1')).toBeGreaterThan(3);
    const spread = checkOf(outcome, 'gaussian-spread-grows');
    expect(numberOf(spread, 'spreadL32')).toBeGreaterThan(5 * numberOf(spread, 'spreadL1'));
  });

  test('figures and table cover every depth and both arms', () => {
    const spectra = outcome.figures.find((f) => f.id === 'spectra');
    expect(spectra?.points).toHaveLength(2 * fast.depths.length * fast.width);
    expect(outcome.tables?.[0]?.rows).toHaveLength(fast.depths.length);
  });

  test('the same settings give the same numbers', async () => {
    const tiny = { width: 16, depths: [1, 3], seeds: 2 };
    const a = await verifyFast(deepLinearStudy, tiny);
    const b = await verifyFast(deepLinearStudy, tiny);
    expect(b.checks.map((c) => c.values)).toEqual(a.checks.map((c) => c.values));
  });

  test('counterfactual: the Gaussian initialiser in the orthogonal arm fails the isometry check', async () => {
    const o = await verifyFast(deepLinearStudy, { orthogonalInit: 'lecun-normal' });
    const c = checkOf(o, 'orthogonal-isometry');
    expect(c.pass).toBe(false);
    expect(numberOf(c, 'maxDeviation')).toBeGreaterThan(0.5);
  });

  test('counterfactual: an orthogonal initialiser 1% too large fails the isometry check', async () => {
    // What a wrong gain in core's orthogonal initialiser would do: s = 1.01^L, 1.37 at L = 32.
    const o = await verifyFast(deepLinearStudy, {
      orthogonalInit: { kind: 'orthogonal', gain: 1.01 },
    });
    const c = checkOf(o, 'orthogonal-isometry');
    expect(c.pass).toBe(false);
    expect(numberOf(c, 'maxDeviationL32')).toBeCloseTo(1.01 ** 32 - 1, 4);
  });

  test('counterfactual: the orthogonal initialiser in the Gaussian arm fails the moment and spread checks', async () => {
    const o = await verifyFast(deepLinearStudy, { gaussianInit: 'orthogonal' });
    expect(checkOf(o, 'gaussian-second-moment').pass).toBe(false);
    expect(numberOf(checkOf(o, 'gaussian-second-moment'), 'secondL4')).toBeCloseTo(1, 4);
    expect(checkOf(o, 'gaussian-spread-grows').pass).toBe(false);
    // Its mean squared singular value is still exactly 1: that check is not what fails here.
    expect(checkOf(o, 'gaussian-mean-squared-singular-value').pass).toBe(true);
  });

  test('counterfactual: Gaussian layers of variance 1.2/N fail the mean and the fourth-moment checks', async () => {
    const o = await verifyFast(deepLinearStudy, {
      gaussianInit: { kind: 'normal', std: Math.sqrt(1.2 / fast.width) },
    });
    const c = checkOf(o, 'gaussian-mean-squared-singular-value');
    expect(c.pass).toBe(false);
    expect(numberOf(c, 'meanL4')).toBeGreaterThan(1.6); // 1.2^4 = 2.07
    // s^4 scales by 1.2^(2L): 4.3 times the theory at L = 4.
    const second = checkOf(o, 'gaussian-second-moment');
    expect(second.pass).toBe(false);
    expect(numberOf(second, 'secondL4') / numberOf(second, 'theoryL4')).toBeGreaterThan(3);
    // The spread of ln s does not depend on the scale, and the orthogonal arm is untouched.
    expect(checkOf(o, 'gaussian-spread-grows').pass).toBe(true);
    expect(checkOf(o, 'orthogonal-isometry').pass).toBe(true);
  });

  test('bad settings are refused with the field, the value and what is allowed', async () => {
    expect(await refusalOf(deepLinearStudy, { depths: [4, 2] })).toMatch(
      /depths\[1\] is 2; expected increasing integers >= 1/,
    );
    expect(await refusalOf(deepLinearStudy, { width: 1 })).toMatch(/width is 1/);
    expect(
      await refusalOf(deepLinearStudy, { gaussianInit: 'gaussian' as 'lecun-normal' }),
    ).toMatch(/gaussianInit is "gaussian"; expected an initialiser: one of/);
  });
});
