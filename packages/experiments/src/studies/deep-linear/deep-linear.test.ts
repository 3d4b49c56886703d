import { wasmBackend } from '@gradlab/backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CheckResult, StudyOutcome } from '../../study.js';
import { createStudyContext } from '../../verify/context.js';
import type { DeepLinearSettings } from './settings.js';
import { deepLinearStudy } from './study.js';

const fast = deepLinearStudy.settings.fast;

async function run(overrides: Partial<DeepLinearSettings> = {}): Promise<StudyOutcome> {
  return deepLinearStudy.run(createStudyContext(), { ...fast, ...overrides });
}

function check(outcome: StudyOutcome, id: string): CheckResult {
  const c = outcome.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
}

const value = (c: CheckResult, key: string) => c.values?.[key] as number;

beforeAll(async () => {
  await wasmBackend.activate();
});

describe('deep-linear study (fast settings, wasm)', () => {
  let outcome: StudyOutcome;

  test('every check passes, with numbers that say why, and no tensor is left behind', async () => {
    const before = tf.memory().numTensors;
    outcome = await run();
    expect(tf.memory().numTensors).toBe(before);
    expect(outcome.checks.map((c) => c.id)).toEqual(deepLinearStudy.checks?.map((c) => c.id));
    for (const c of outcome.checks) expect(c.pass, `${c.id}: ${c.measured}`).toBe(true);

    // Orthogonal: float32 rounding only, growing with depth but far below the tolerance.
    const isometry = check(outcome, 'orthogonal-isometry');
    expect(value(isometry, 'maxDeviation')).toBeGreaterThan(0);
    expect(value(isometry, 'maxDeviation')).toBeLessThan(1e-5);
    // Gaussian: (1/N) tr JJ^T near 1 at depth 1 (sampling sd 0.022 at N = 64), s^4 near L + 1.
    const mean = check(outcome, 'gaussian-mean-squared-singular-value');
    expect(Math.abs(value(mean, 'meanL1') - 1)).toBeLessThan(0.05);
    const second = check(outcome, 'gaussian-second-moment');
    expect(value(second, 'secondL1')).toBeCloseTo(2, 0);
    expect(value(second, 'secondL8') / value(second, 'secondL1')).toBeGreaterThan(3);
    const spread = check(outcome, 'gaussian-spread-grows');
    expect(value(spread, 'spreadL32')).toBeGreaterThan(5 * value(spread, 'spreadL1'));
  });

  test('figures and table cover every depth and both arms', () => {
    const spectra = outcome.figures.find((f) => f.id === 'spectra');
    expect(spectra?.points).toHaveLength(2 * fast.depths.length * fast.width);
    expect(outcome.tables?.[0]?.rows).toHaveLength(fast.depths.length);
  });

  test('the same settings give the same numbers', async () => {
    const tiny = { width: 16, depths: [1, 3], seeds: 2 };
    const a = await run(tiny);
    const b = await run(tiny);
    expect(b.checks.map((c) => c.values)).toEqual(a.checks.map((c) => c.values));
  });

  test('counterfactual: the Gaussian initialiser in the orthogonal arm fails the isometry check', async () => {
    const o = await run({ orthogonalInit: 'lecun-normal' });
    const c = check(o, 'orthogonal-isometry');
    expect(c.pass).toBe(false);
    expect(value(c, 'maxDeviation')).toBeGreaterThan(0.5);
  });

  test('counterfactual: an orthogonal initialiser 1% too large fails the isometry check', async () => {
    // What a wrong gain in core's orthogonal initialiser would do: s = 1.01^L, 1.37 at L = 32.
    const o = await run({ orthogonalInit: { kind: 'orthogonal', gain: 1.01 } });
    const c = check(o, 'orthogonal-isometry');
    expect(c.pass).toBe(false);
    expect(value(c, 'maxDeviationL32')).toBeCloseTo(1.01 ** 32 - 1, 4);
  });

  test('counterfactual: the orthogonal initialiser in the Gaussian arm fails the moment and spread checks', async () => {
    const o = await run({ gaussianInit: 'orthogonal' });
    expect(check(o, 'gaussian-second-moment').pass).toBe(false);
    expect(value(check(o, 'gaussian-second-moment'), 'secondL4')).toBeCloseTo(1, 4);
    expect(check(o, 'gaussian-spread-grows').pass).toBe(false);
    // Its mean squared singular value is still exactly 1: that check is not what fails here.
    expect(check(o, 'gaussian-mean-squared-singular-value').pass).toBe(true);
  });

  test('counterfactual: Gaussian layers of variance 1.2/N fail the mean and the fourth-moment checks', async () => {
    const o = await run({ gaussianInit: { kind: 'normal', std: Math.sqrt(1.2 / fast.width) } });
    const c = check(o, 'gaussian-mean-squared-singular-value');
    expect(c.pass).toBe(false);
    expect(value(c, 'meanL4')).toBeGreaterThan(1.6); // 1.2^4 = 2.07
    // s^4 scales by 1.2^(2L): 4.3 times the theory at L = 4.
    const second = check(o, 'gaussian-second-moment');
    expect(second.pass).toBe(false);
    expect(value(second, 'secondL4') / value(second, 'theoryL4')).toBeGreaterThan(3);
    // The spread of ln s does not depend on the scale, and the orthogonal arm is untouched.
    expect(check(o, 'gaussian-spread-grows').pass).toBe(true);
    expect(check(o, 'orthogonal-isometry').pass).toBe(true);
  });

  test('bad settings are refused with the field, the value and what is allowed', async () => {
    await expect(run({ depths: [4, 2] })).rejects.toThrow(
      /depths\[1\] is 2; expected increasing integers >= 1/,
    );
    await expect(run({ width: 1 })).rejects.toThrow(/width is 1/);
    await expect(run({ gaussianInit: 'gaussian' as 'lecun-normal' })).rejects.toThrow(
      /gaussianInit is "gaussian"; expected an initialiser: one of/,
    );
  });
});
