import { wasmBackend } from '@gradlab/backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CheckResult, StudyOutcome } from '../../study.js';
import { createStudyContext } from '../../verify/context.js';
import type { WidthFluctuationSettings } from './settings.js';
import { widthFluctuationsStudy } from './study.js';

const fast = widthFluctuationsStudy.settings.fast;

function run(overrides: Partial<WidthFluctuationSettings> = {}): Promise<StudyOutcome> {
  return widthFluctuationsStudy.run(createStudyContext(), { ...fast, ...overrides });
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

describe('width-fluctuations study (fast settings, wasm)', () => {
  test('every check passes, with the numbers of the claim, and no tensor is left behind', async () => {
    const before = tf.memory().numTensors;
    const outcome = await run();
    expect(tf.memory().numTensors).toBe(before);
    expect(outcome.checks.map((c) => c.id)).toEqual(
      widthFluctuationsStudy.checks?.map((c) => c.id),
    );
    for (const c of outcome.checks) expect(c.pass, `${c.id}: ${c.measured}`).toBe(true);

    const growth = check(outcome, 'narrower-fluctuates-more');
    // beta grows x4 over widths 64 -> 16; the variance about as much (x4.2 by the theory).
    expect(value(growth, 'growth')).toBeGreaterThan(3);
    expect(value(growth, 'growth')).toBeLessThan(7);
    const theory = check(outcome, 'matches-relu-theory');
    for (const label of ['10x16', '10x32', '10x64', '2x16', '4x32', '8x64']) {
      expect(value(theory, `var${label}`) / value(theory, `theory${label}`)).toBeGreaterThan(0.8);
      expect(value(theory, `var${label}`) / value(theory, `theory${label}`)).toBeLessThan(1.2);
    }
    // The least-squares slope against beta: 5 for wide layers, more at width 16.
    expect(value(theory, 'slope')).toBeGreaterThan(4.5);
    expect(value(theory, 'slope')).toBeLessThan(7.5);
    expect(value(check(outcome, 'equal-beta-equal-variance'), 'ratio')).toBeLessThan(1.5);
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
    const a = await run(tiny);
    const b = await run(tiny);
    expect(b.checks.map((c) => c.values)).toEqual(a.checks.map((c) => c.values));
    // Each network draws from its own stream: batching them differently changes nothing.
    const rechunked = await run({ ...tiny, chunk: 4 });
    expect(rechunked.checks.map((c) => c.values)).toEqual(a.checks.map((c) => c.values));
  });

  test("the variance is scale-free: a He gain of 2 leaves it unchanged (the init's scale is not what this study judges)", async () => {
    const tiny = { widths: [8, 16], networks: 6 };
    const he = check(await run(tiny), 'matches-relu-theory');
    const scaled = check(
      await run({ ...tiny, init: { kind: 'he-normal', gain: 2 } }),
      'matches-relu-theory',
    );
    // Doubling every weight shifts log ||J u||^2 by 2 L ln 2 and leaves its variance alone.
    for (const label of ['10x8', '10x16', '2x16']) {
      expect(value(scaled, `var${label}`)).toBeCloseTo(value(he, `var${label}`), 6);
    }
  });

  test('counterfactual: one fixed width for the whole sweep shows no growth', async () => {
    const o = await run({ widths: [32, 32, 32] });
    const c = check(o, 'narrower-fluctuates-more');
    expect(c.pass).toBe(false);
    expect(value(c, 'growth')).toBeLessThan(1.5);
  });

  test('counterfactual: a linear network (no ReLU masks) misses the ReLU theory: about 2 beta, not 5 beta', async () => {
    const o = await run({ activation: 'linear' });
    const c = check(o, 'matches-relu-theory');
    expect(c.pass).toBe(false);
    expect(value(c, 'slope')).toBeLessThan(3);
  });

  test('counterfactual: architectures of one width at different depths (unequal beta) fail the equal-beta check', async () => {
    const o = await run({
      equalBeta: [
        { depth: 2, width: 32 },
        { depth: 4, width: 32 },
        { depth: 8, width: 32 },
      ],
    });
    const c = check(o, 'equal-beta-equal-variance');
    expect(c.pass).toBe(false);
    expect(value(c, 'ratio')).toBeGreaterThan(3);
  });

  test('counterfactual: orthogonal kernels (not i.i.d. Gaussian) miss the ReLU theory', async () => {
    const o = await run({ init: 'orthogonal' });
    const c = check(o, 'matches-relu-theory');
    expect(c.pass).toBe(false);
    // Orthonormal rows take away the chi^2 spread of each unit's input: fewer fluctuations.
    expect(value(c, 'var10x16') / value(c, 'theory10x16')).toBeLessThan(0.8);
  });

  test('bad settings are refused with the field, the value and what is allowed', async () => {
    await expect(run({ widths: [16, 0] })).rejects.toThrow(
      /widths\[1\] is 0; expected a positive integer/,
    );
    await expect(run({ activation: 'tanh' as 'relu' })).rejects.toThrow(/activation is "tanh"/);
    await expect(run({ init: { kind: 'normal', std: 0 } })).rejects.toThrow(
      /width-fluctuations setting init\.std is 0/,
    );
  });
});
