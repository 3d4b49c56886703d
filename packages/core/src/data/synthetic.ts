import { createRng } from '../random.js';
import type { Dataset } from './dataset.js';

/**
 * Teacher-student data: x ~ N(0, I), labelled by a random 2-layer tanh network whose weights
 * come from the same seed. Regression targets are the teacher's outputs (plus optional Gaussian
 * noise); classification labels are their argmax.
 */
export function teacherData(
  seed: number,
  opts: {
    task: 'regression' | 'classification';
    inputSize: number;
    outputSize: number;
    samples: number;
    noise: number;
  },
): Dataset {
  const { inputSize: d, outputSize: k, samples: n, noise, task } = opts;
  const rng = createRng(seed, 'data/teacher');
  const hidden = 64;
  const w1 = Float64Array.from({ length: d * hidden }, () => rng.normal() / Math.sqrt(d));
  const w2 = Float64Array.from({ length: hidden * k }, () => rng.normal() / Math.sqrt(hidden));
  const x = new Float32Array(n * d);
  const y = new Float32Array(n * k);
  const h = new Float64Array(hidden);
  const o = new Float64Array(k);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < d; i++) x[s * d + i] = rng.normal();
    for (let j = 0; j < hidden; j++) {
      let acc = 0;
      for (let i = 0; i < d; i++) acc += (x[s * d + i] as number) * (w1[i * hidden + j] as number);
      h[j] = Math.tanh(2 * acc);
    }
    for (let c = 0; c < k; c++) {
      let acc = 0;
      for (let j = 0; j < hidden; j++) acc += (h[j] as number) * (w2[j * k + c] as number);
      o[c] = acc + noise * rng.normal();
    }
    if (task === 'regression') {
      for (let c = 0; c < k; c++) y[s * k + c] = o[c] as number;
    } else {
      let best = 0;
      for (let c = 1; c < k; c++) if ((o[c] as number) > (o[best] as number)) best = c;
      y[s * k + best] = 1;
    }
  }
  return { name: `teacher-${task}`, task, size: n, x, xShape: [d], y, yShape: [k] };
}

/** K interleaved spiral arms in the plane, with Gaussian noise; one class per arm. */
export function spiralsData(
  seed: number,
  opts: { classes: number; samples: number; noise: number },
): Dataset {
  const { classes: k, samples: n, noise } = opts;
  const rng = createRng(seed, 'data/spirals');
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n * k);
  for (let s = 0; s < n; s++) {
    const c = s % k;
    const r = rng.next();
    const theta = 3 * Math.PI * r + (2 * Math.PI * c) / k;
    x[s * 2] = r * Math.cos(theta) + noise * rng.normal() * 0.1;
    x[s * 2 + 1] = r * Math.sin(theta) + noise * rng.normal() * 0.1;
    y[s * k + c] = 1;
  }
  return { name: 'spirals', task: 'classification', size: n, x, xShape: [2], y, yShape: [k] };
}

/**
 * The MSE of predicting the mean target (1) on the adding problem: the target is the sum of two
 * independent U[0, 1) values, so its variance is 2 x 1/12 = 1/6, whatever the length. A network
 * that ignores its input can do no better; one that carried both marked values across the
 * sequence does far better.
 */
export const ADDING_MEAN_BASELINE_MSE = 1 / 6;

/**
 * The adding problem (Hochreiter & Schmidhuber 1997): each step carries (value ~ U[0,1], marker);
 * exactly two markers are 1, one in each half of the sequence, and the target is the sum of
 * the two marked values. Solving it needs the gradient to survive `length` steps.
 */
export function addingData(seed: number, opts: { length: number; samples: number }): Dataset {
  const { length: t, samples: n } = opts;
  const rng = createRng(seed, 'data/adding');
  const x = new Float32Array(n * t * 2);
  const y = new Float32Array(n);
  const half = Math.max(1, Math.floor(t / 2));
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < t; i++) x[(s * t + i) * 2] = rng.next();
    const a = rng.int(half);
    const b = half + rng.int(t - half);
    x[(s * t + a) * 2 + 1] = 1;
    x[(s * t + b) * 2 + 1] = 1;
    y[s] = (x[(s * t + a) * 2] as number) + (x[(s * t + b) * 2] as number);
  }
  return { name: 'adding', task: 'regression', size: n, x, xShape: [t, 2], y, yShape: [1] };
}
