import { caught, expectClose, useCpu } from '@gradlab/testkit/helpers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { noLeak } from '../test-support.js';
import { createLrScheduler, type ScheduleInput } from './schedule.js';

beforeAll(useCpu);

/** The rate a tfjs optimiser will use (a protected field). */
const rateOf = (o: tf.Optimizer) => (o as unknown as { learningRate: number }).learningRate;

/** The rates a scheduler sets for steps 1..n (reading .lr, then stepping). */
function rates(schedule: ScheduleInput, lr: number, n: number, totalSteps?: number): number[] {
  const optimizer = tf.train.sgd(lr);
  const s = createLrScheduler(optimizer, schedule, { lr, totalSteps });
  const out: number[] = [];
  for (let i = 1; i <= n; i++) {
    expect(s.currentStep).toBe(i);
    out.push(s.lr);
    expect(rateOf(optimizer)).toBe(s.lr);
    if (i < n) s.step();
  }
  optimizer.dispose();
  return out;
}

const expectRates = (actual: number[], expected: number[]) =>
  expected.forEach((v, i) => {
    expectClose(actual[i] as number, v, 1e-12, 1e-15);
  });

describe('createLrScheduler: the documented values at given steps', () => {
  it('constant', () => {
    expectRates(rates({ kind: 'constant' }, 0.1, 5), [0.1, 0.1, 0.1, 0.1, 0.1]);
  });

  it('step decay: lr * factor^floor(t / every)', () => {
    expectRates(
      rates({ kind: 'step', every: 3, factor: 0.5 }, 0.8, 8),
      [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2],
    );
    // factor defaults to 0.1
    expectRates(rates({ kind: 'step', every: 2 }, 1, 5), [1, 1, 0.1, 0.1, 0.01]);
  });

  it('exponential: lr * rate^(t / every)', () => {
    expectRates(rates({ kind: 'exponential', rate: 0.9 }, 1, 4), [1, 0.9, 0.81, 0.729]);
    expectRates(rates({ kind: 'exponential', rate: 0.25, every: 2 }, 1, 3), [1, 0.5, 0.25]);
  });

  it('warm-up: linear from lr / w to lr over w steps, then the schedule', () => {
    expectRates(rates({ kind: 'constant', warmupSteps: 4 }, 1, 6), [0.25, 0.5, 0.75, 1, 1, 1]);
    expectRates(
      rates({ kind: 'step', every: 2, factor: 0.5, warmupSteps: 2 }, 1, 6),
      [0.5, 1, 1, 1, 0.5, 0.5],
    );
  });

  it('cosine: from lr down to minLr at the end of the run (and after)', () => {
    const T = 10;
    const r = rates({ kind: 'cosine', minLr: 0.01 }, 0.1, 12, T);
    for (let step = 1; step <= 12; step++) {
      const t = Math.min(step - 1, T);
      expectClose(
        r[step - 1] as number,
        0.01 + (0.09 * (1 + Math.cos((Math.PI * t) / T))) / 2,
        1e-12,
      );
    }
    expectClose(r[0] as number, 0.1, 1e-12);
    expectClose(r[5] as number, 0.055, 1e-12); // halfway
    expectClose(r[10] as number, 0.01, 1e-12); // the end value is minLr
    expectClose(r[11] as number, 0.01, 1e-12);
    // with warm-up, the cosine runs over the remaining steps; period overrides totalSteps
    const w = rates({ kind: 'cosine', warmupSteps: 2, period: 6 }, 1, 7);
    const cos = (t: number) => (1 + Math.cos((Math.PI * t) / 4)) / 2;
    expectRates(w, [0.5, 1, cos(0), cos(1), cos(2), cos(3), cos(4)]);
    expectClose(w[6] as number, 0, 0, 1e-15);
  });

  it('rateAt gives any step without changing the optimiser', () => {
    const optimizer = tf.train.sgd(0.1);
    const s = createLrScheduler(optimizer, { kind: 'exponential', rate: 0.5 }, { lr: 0.1 });
    expectClose(s.rateAt(4), 0.0125, 1e-12);
    expect(rateOf(optimizer)).toBe(0.1);
    // lr defaults to the optimiser's own rate
    const t = createLrScheduler(optimizer, { kind: 'step', every: 1, factor: 0.5 });
    expect(t.baseLr).toBe(0.1);
    expect(t.step()).toBeCloseTo(0.05, 12);
    optimizer.dispose();
  });
});

describe("createLrScheduler changes a tfjs optimiser's update size", () => {
  /** Size of one update of w (|w_after - w_before|) under a constant gradient of 3. */
  function updateSizes(optimizer: tf.Optimizer, n: number, onStep: () => void): number[] {
    const w = tf.tidy(() => tf.variable(tf.scalar(1)));
    const sizes: number[] = [];
    for (let i = 0; i < n; i++) {
      const before = w.dataSync()[0] as number;
      optimizer.minimize(() => tf.mul(w, 3) as tf.Scalar);
      sizes.push(Math.abs((w.dataSync()[0] as number) - before));
      onStep();
    }
    w.dispose();
    return sizes;
  }

  it('SGD: each update is lr_t * gradient', async () => {
    await noLeak(() => {
      const optimizer = tf.train.sgd(1);
      const s = createLrScheduler(optimizer, { kind: 'step', every: 1, factor: 0.5 }, { lr: 0.1 });
      const sizes = updateSizes(optimizer, 4, () => s.step());
      [0.3, 0.15, 0.075, 0.0375].forEach((v, i) => {
        expectClose(sizes[i] as number, v, 1e-5);
      });
      optimizer.dispose();
    });
  });

  it('Adam: each update is about lr_t, whatever the gradient', async () => {
    await noLeak(() => {
      const optimizer = tf.train.adam(1);
      const s = createLrScheduler(optimizer, { kind: 'constant', warmupSteps: 4 }, { lr: 0.01 });
      const sizes = updateSizes(optimizer, 5, () => s.step());
      // A constant gradient makes Adam's bias-corrected m / sqrt(v) exactly 1.
      [0.0025, 0.005, 0.0075, 0.01, 0.01].forEach((v, i) => {
        expectClose(sizes[i] as number, v, 1e-4);
      });
      optimizer.dispose();
    });
  });
});

describe('createLrScheduler: bad input', () => {
  it('names the bad field of the schedule', async () => {
    const optimizer = tf.train.sgd(0.1);
    for (const [schedule, field] of [
      [{ kind: 'step', every: 0 }, 'schedule.every'],
      [{ kind: 'step' }, 'schedule.every'],
      [{ kind: 'exponential', rate: 2 }, 'schedule.rate'],
      [{ kind: 'cosine', minLr: -1 }, 'schedule.minLr'],
      [{ kind: 'constant', warmupSteps: 1.5 }, 'schedule.warmupSteps'],
      [{ kind: 'linear' }, 'schedule.kind'],
      [null, 'schedule'],
      [{ kind: 'cosine' }, 'schedule.period'],
    ] as const) {
      const e = await caught(() =>
        createLrScheduler(optimizer, schedule as unknown as ScheduleInput, { lr: 0.1 }),
      );
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toContain(field);
    }
    const kind = await caught(() =>
      createLrScheduler(optimizer, { kind: 'linear' } as unknown as ScheduleInput),
    );
    expect(kind.message).toContain('"linear"');
    expect(kind.message).toContain('"cosine"');
    for (const [options, field] of [
      [{ lr: 0 }, 'options.lr'],
      [{ lr: 0.1, totalSteps: 0 }, 'options.totalSteps'],
    ] as const) {
      const e = await caught(() => createLrScheduler(optimizer, { kind: 'constant' }, options));
      expect(e.message).toContain(field);
    }
    const notOptimizer = await caught(() =>
      createLrScheduler({} as tf.Optimizer, { kind: 'constant' }, { lr: 1 }),
    );
    expect(notOptimizer.message).toContain('optimizer');
    optimizer.dispose();
  });
});
