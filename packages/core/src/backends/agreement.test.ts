import { describe, expect, it } from 'vitest';
import { isGradlabError } from '../errors.js';
import {
  compareBackendRuns,
  DIVERGENCE_TOLERANCE,
  describeDivergence,
  relativeDifference,
} from './agreement.js';

type Step = Parameters<typeof compareBackendRuns>[0][number];

/** A logged step: the loss, and per layer [kernel, bias] gradient norms. */
const step = (n: number, loss: number, layers: [number, number | null][]): Step =>
  ({
    step: n,
    loss,
    layers: layers.map(([gradNorm, biasGradNorm], i) => ({
      name: `dense${i + 1}`,
      gradNorm,
      biasGradNorm,
    })),
  }) as unknown as Step;

describe('relativeDifference', () => {
  it('is relative to the reference; equal values, zeros included, differ by 0', () => {
    expect(relativeDifference(1.1, 1)).toBeCloseTo(0.1, 12);
    expect(relativeDifference(0, 0)).toBe(0);
    expect(relativeDifference(1e-30, 0)).toBeGreaterThan(1e200);
    expect(Number.isFinite(relativeDifference(1e-30, 0))).toBe(true);
  });

  it('non-finite against finite is Infinity; both blown up (NaN, or null from JSON) is 0', () => {
    expect(relativeDifference(Number.NaN, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(relativeDifference(1, null)).toBe(Number.POSITIVE_INFINITY);
    expect(relativeDifference(Number.NaN, Number.NaN)).toBe(0);
    expect(relativeDifference(null, Number.POSITIVE_INFINITY)).toBe(0);
    expect(relativeDifference(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});

describe('compareBackendRuns', () => {
  const reference = [
    step(1, 2, [
      [1, 0.5],
      [4, 2],
    ]),
    step(2, 1.9, [
      [1, 0.5],
      [4, 2],
    ]),
    step(3, 1.8, [
      [1, 0.5],
      [4, 2],
    ]),
  ];

  it('step 1: per layer the larger of the kernel and bias differences; the worst layer', () => {
    const other = [
      step(1, 2, [
        [1, 0.5 * (1 + 3e-7)],
        [4 * (1 + 1e-7), 2],
      ]),
      ...reference.slice(1),
    ];
    const a = compareBackendRuns(reference, other);
    expect(a.step1?.loss).toBe(0);
    expect(a.step1?.layers.map((l) => l.layer)).toEqual(['dense1', 'dense2']);
    expect(a.step1?.layers[0]?.gradNorm).toBe(0);
    expect(a.step1?.layers[0]?.biasGradNorm).toBeCloseTo(3e-7, 12);
    expect(a.step1?.layers[1]?.maxRelDiff).toBeCloseTo(1e-7, 12);
    expect(a.step1?.maxRelDiff).toBeCloseTo(3e-7, 12);
    expect(a.step1?.worstLayer).toBe('dense1');
    expect(a.drift.firstDivergence).toBe('never');
    expect(describeDivergence(a.drift)).toBe('stayed within 1e-3 over all 3 steps');
  });

  it('drift: the largest differences over the run, and the first step beyond the tolerance', () => {
    const other = [
      reference[0] as Step,
      step(2, 1.9 * (1 + 5e-4), [
        [1, 0.5],
        [4, 2],
      ]),
      step(3, 1.8 * (1 + 2e-3), [
        [1 * (1 + 0.05), 0.5],
        [4, 2],
      ]),
    ];
    const a = compareBackendRuns(reference, other);
    expect(a.step1?.maxRelDiff).toBe(0);
    expect(a.drift.steps).toBe(3);
    expect(a.drift.lossMaxRelDiff).toBeCloseTo(2e-3, 10);
    expect(a.drift.gradNormMaxRelDiff).toBeCloseTo(0.05, 10);
    expect(a.drift.layers.map((l) => l.maxRelDiff)).toEqual([expect.closeTo(0.05, 10), 0]);
    // Step 2's loss (5e-4) is within 1e-3; at step 3 dense1 differs the most.
    expect(a.drift.firstDivergence).toEqual({
      step: 3,
      quantity: 'dense1',
      gradient: 'kernel',
      relDiff: expect.closeTo(0.05, 10),
    });
    expect(describeDivergence(a.drift)).toBe(
      "diverged beyond 1e-3 at step 3 (dense1's gradient norm)",
    );
    // A bias gradient beyond the tolerance is a divergence too, named as such.
    const bias = [
      step(1, 2, [
        [1, 0.5 * (1 + 2e-3)],
        [4, 2],
      ]),
    ];
    const b = compareBackendRuns(reference.slice(0, 1), bias);
    expect(b.step1?.maxRelDiff).toBeCloseTo(2e-3, 10);
    expect(b.drift.firstDivergence).toMatchObject({
      step: 1,
      quantity: 'dense1',
      gradient: 'bias',
    });
    expect(describeDivergence(b.drift)).toBe(
      "diverged beyond 1e-3 at step 1 (dense1's bias gradient norm)",
    );
    // A looser tolerance: never.
    expect(compareBackendRuns(reference, other, 0.1).drift.firstDivergence).toBe('never');
    expect(DIVERGENCE_TOLERANCE).toBe(1e-3);
  });

  it('a run that blows up on one backend only diverges where it does; on both it does not', () => {
    const nan = step(3, Number.NaN, [
      [Number.NaN, Number.NaN],
      [Number.NaN, Number.NaN],
    ]);
    const one = compareBackendRuns(reference, [...reference.slice(0, 2), nan]);
    expect(one.drift.firstDivergence).toMatchObject({ step: 3, relDiff: Number.POSITIVE_INFINITY });
    const both = compareBackendRuns(
      [...reference.slice(0, 2), nan],
      [...reference.slice(0, 2), nan],
    );
    expect(both.drift.firstDivergence).toBe('never');
  });

  it('matches steps by number; no step 1 on both sides means no step-1 figure', () => {
    const a = compareBackendRuns(reference.slice(1), reference);
    expect(a.step1).toBeNull();
    expect(a.drift.steps).toBe(2);
    expect(compareBackendRuns(reference, reference.slice(0, 1)).drift.steps).toBe(1);
  });

  it('refuses runs of different networks and a tolerance that is not a positive number, naming the field', () => {
    const renamed = [
      { ...(reference[0] as Step), layers: [...(reference[0] as Step).layers].reverse() },
    ];
    expect(() => compareBackendRuns(reference, renamed)).toThrow(/layers\[0\]\.name/);
    const shorter = [step(1, 2, [[1, 0.5]])];
    expect(() => compareBackendRuns(reference, shorter)).toThrow(/^layers: /);
    for (const bad of [0, -1, Number.NaN]) {
      try {
        compareBackendRuns(reference, reference, bad);
        expect.unreachable();
      } catch (e) {
        expect(isGradlabError(e) && e.code).toBe('INVALID_ARGUMENT');
        expect((e as Error).message).toMatch(/^tolerance must be a positive number/);
      }
    }
  });
});
