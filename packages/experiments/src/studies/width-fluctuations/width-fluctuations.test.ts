import { describe, expect, test } from 'vitest';
import { checkOf, fastPass, numberOf, refusalOf, verifyFast } from '../../study-kit/test-study.js';
import { widthFluctuationsStudy } from './study.js';

describe('width-fluctuations study (fast settings, wasm)', () => {
  test('every check passes, with the numbers of the claim, and no tensor is left behind', async () => {
    const outcome = await fastPass(widthFluctuationsStudy);

    const growth = checkOf(outcome, 'narrower-fluctuates-more');
    // beta grows x4 over widths 64 -> 16; the variance about as much (x4.2 by the theory).
    expect(numberOf(growth, 'growth')).toBeGreaterThan(3);
    expect(numberOf(growth, 'growth')).toBeLessThan(7);
    const theory = checkOf(outcome, 'matches-relu-theory');
    for (const label of ['10x16', '10x32', '10x64', '2x16', '4x32', '8x64']) {
      expect(numberOf(theory, `var${label}`) / numberOf(theory, `theory${label}`)).toBeGreaterThan(
        0.8,
      );
      expect(numberOf(theory, `var${label}`) / numberOf(theory, `theory${label}`)).toBeLessThan(
        1.2,
      );
    }
    // The least-squares slope against beta: 5 for wide layers, more at width 16.
    expect(numberOf(theory, 'slope')).toBeGreaterThan(4.5);
    expect(numberOf(theory, 'slope')).toBeLessThan(7.5);
    expect(numberOf(checkOf(outcome, 'equal-beta-equal-variance'), 'ratio')).toBeLessThan(1.5);
    const figure = outcome.figures[0];
    expect(figure?.points.filter((p) => p.series.endsWith('measured'))).toHaveLength(6);
  });

  test('the same settings give the same numbers', async () => {
    const tiny = {
      widths: [8, 16],
      equalBeta: [
        { depth: 1, width: 8 },
        { depth: 2, width: 16 },
      ],
      networks: 6,
    };
    const a = await verifyFast(widthFluctuationsStudy, tiny);
    const b = await verifyFast(widthFluctuationsStudy, tiny);
    expect(b.checks.map((c) => c.values)).toEqual(a.checks.map((c) => c.values));
    // Each network draws from its own stream: batching them differently changes nothing.
    const rechunked = await verifyFast(widthFluctuationsStudy, { ...tiny, chunk: 4 });
    expect(rechunked.checks.map((c) => c.values)).toEqual(a.checks.map((c) => c.values));
  });

  test("the variance is scale-free: a He gain of 2 leaves it unchanged (the init's scale is not what this study judges)", async () => {
    const tiny = { widths: [8, 16], networks: 6 };
    const he = checkOf(await verifyFast(widthFluctuationsStudy, tiny), 'matches-relu-theory');
    const scaled = checkOf(
      await verifyFast(widthFluctuationsStudy, { ...tiny, init: { kind: 'he-normal', gain: 2 } }),
      'matches-relu-theory',
    );
    // Doubling every weight shifts log ||J u||^2 by 2 L ln 2 and leaves its variance alone.
    for (const label of ['10x8', '10x16', '2x16']) {
      expect(numberOf(scaled, `var${label}`)).toBeCloseTo(numberOf(he, `var${label}`), 6);
    }
  });

  test('counterfactual: one fixed width for the whole sweep shows no growth', async () => {
    const o = await verifyFast(widthFluctuationsStudy, { widths: [32, 32, 32] });
    const c = checkOf(o, 'narrower-fluctuates-more');
    expect(c.pass).toBe(false);
    expect(numberOf(c, 'growth')).toBeLessThan(1.5);
  });

  test('counterfactual: a linear network (no ReLU masks) misses the ReLU theory: about 2 beta, not 5 beta', async () => {
    const o = await verifyFast(widthFluctuationsStudy, { activation: 'linear' });
    const c = checkOf(o, 'matches-relu-theory');
    expect(c.pass).toBe(false);
    expect(numberOf(c, 'slope')).toBeLessThan(3);
  });

  test('counterfactual: architectures of one width at different depths (unequal beta) fail the equal-beta check', async () => {
    const o = await verifyFast(widthFluctuationsStudy, {
      equalBeta: [
        { depth: 2, width: 32 },
        { depth: 4, width: 32 },
        { depth: 8, width: 32 },
      ],
    });
    const c = checkOf(o, 'equal-beta-equal-variance');
    expect(c.pass).toBe(false);
    expect(numberOf(c, 'ratio')).toBeGreaterThan(3);
  });

  test('counterfactual: orthogonal kernels (not i.i.d. Gaussian) miss the ReLU theory', async () => {
    const o = await verifyFast(widthFluctuationsStudy, { init: 'orthogonal' });
    const c = checkOf(o, 'matches-relu-theory');
    expect(c.pass).toBe(false);
    // Orthonormal rows take away the chi^2 spread of each unit's input: fewer fluctuations.
    expect(numberOf(c, 'var10x16') / numberOf(c, 'theory10x16')).toBeLessThan(0.8);
  });

  test('bad settings are refused with the field, the value and what is allowed', async () => {
    expect(await refusalOf(widthFluctuationsStudy, { widths: [16, 0] })).toMatch(
      /widths\[1\] is 0; expected a positive integer/,
    );
    expect(await refusalOf(widthFluctuationsStudy, { activation: 'tanh' as 'relu' })).toMatch(
      /activation is "tanh"/,
    );
    expect(await refusalOf(widthFluctuationsStudy, { init: { kind: 'normal', std: 0 } })).toMatch(
      /width-fluctuations setting init\.std is 0/,
    );
  });
});
