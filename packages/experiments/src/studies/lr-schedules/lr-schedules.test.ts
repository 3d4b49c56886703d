import { wasmBackend } from '@gradlab/backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOf, verifyFast } from '../training-measures/test-study.js';
import { type LrSchedulesSettings, lrSchedulesStudy as study } from './lr-schedules.js';

beforeAll(async () => {
  await wasmBackend.activate();
});

/** The study at its fast scale with `changes`, as `gradlab verify --fast` runs it (no leak). */
async function runWith(changes?: Partial<LrSchedulesSettings>) {
  const outcome = await verifyFast(study, changes);
  return { outcome, check: (id: string) => checkOf(outcome, id) };
}

describe('lr-schedules', () => {
  it('with the fast settings every declared check passes, with the numbers behind it', async () => {
    const { outcome, check } = await runWith();
    expect(outcome.pass).toBe(true);
    expect(outcome.checks.map((c) => c.id)).toEqual(study.checks?.map((c) => c.id));
    for (const c of outcome.checks) expect(c.pass, `${c.id}: ${c.measured}`).toBe(true);

    const large = check('large-step-diverges').values ?? {};
    // null: the loss left float32's range, an unbounded growth.
    expect(large['large-constant.growth'] ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1e3);

    const small = check('small-step-converges').values ?? {};
    expect(Math.abs(small['small-constant.gapToMinimum'] ?? 1)).toBeLessThan(1e-3);

    const decay = check('decay-from-large-step-converges').values ?? {};
    for (const label of ['large-step', 'large-exponential', 'large-cosine']) {
      expect(Math.abs(decay[`${label}.gapToMinimum`] ?? 1), label).toBeLessThan(1e-3);
    }

    const threshold = check('threshold-is-2-over-L').values ?? {};
    // The teacher's targets are not linear in the inputs: the minimum is well above zero.
    expect(threshold.minLoss).toBeGreaterThan(0.01);
    expect(threshold.criticalLr).toBeGreaterThan(0);
    expect(Math.abs(threshold['just-below.gapToMinimum'] ?? 1)).toBeLessThan(1e-3);
    expect(threshold['just-above.growth'] ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1e3);

    expect(outcome.figures.map((f) => f.id)).toEqual([
      'loss-curves',
      'learning-rate',
      'gradient-norm',
    ]);
    for (const f of outcome.figures) {
      expect(f.points.length, f.id).toBeGreaterThan(0);
      for (const p of f.points) expect(Number(p.y) > 0 && Number.isFinite(Number(p.y))).toBe(true);
    }
    // The schedules start at 1.2 x 2/L and the decays end below 1.
    const lr = outcome.figures[1]?.points ?? [];
    const cosine = lr.filter((p) => p.series === 'large-cosine').map((p) => Number(p.y));
    expect(cosine[0]).toBeCloseTo(1.2, 6);
    expect(cosine.at(-1)).toBeLessThan(1);
  });

  it('the "smaller step" given the large step diverges, and its check fails', async () => {
    const { check } = await runWith({ smallFactor: study.settings.fast.largeFactor, decays: [] });
    const small = check('small-step-converges');
    expect(small.pass).toBe(false);
    expect(
      small.values?.['small-constant.gapToMinimum'] ?? Number.POSITIVE_INFINITY,
    ).toBeGreaterThan(1);
    // No decaying schedule was given: nothing measured is a failure, not a vacuous pass.
    expect(check('decay-from-large-step-converges').pass).toBe(false);
  });

  it('a "large step" below 2/L does not diverge, and its check fails', async () => {
    const { check } = await runWith({ largeFactor: 0.9, decays: [] });
    const large = check('large-step-diverges');
    expect(large.pass).toBe(false);
    expect(large.values?.['large-constant.growth']).toBeLessThan(1);
  });

  it('a "decay" that keeps the large step constant diverges, and the decay check fails', async () => {
    const { check } = await runWith({
      decays: [{ label: 'no-decay', schedule: { kind: 'constant' } }],
    });
    const decay = check('decay-from-large-step-converges');
    expect(decay.pass).toBe(false);
    expect(decay.values?.['large-no-decay.growth'] ?? Number.POSITIVE_INFINITY).toBeGreaterThan(
      1e3,
    );
  });

  it('with mini-batches the 2/L law of gradient descent no longer holds', async () => {
    const { check } = await runWith({ batchSize: 32, decays: [] });
    const threshold = check('threshold-is-2-over-L');
    expect(threshold.pass).toBe(false);
    // The mini-batch curvature exceeds the whole set's: just below 2/L already diverges.
    expect(threshold.values?.['just-below.growth'] ?? Number.POSITIVE_INFINITY).toBeGreaterThan(
      1e3,
    );
  });
});
