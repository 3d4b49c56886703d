import { clipTransform, globalL2Norm, l2Norm } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { fmt } from './compare.js';
import type { KitContext } from './context.js';

/**
 * 'numerics/norm-range': every norm gradlab reports is computed on the backend, and vanishing
 * and exploding gradients live where float32 squares underflow (|g| < ~1e-19) or overflow
 * (|g| > ~1e19). On tensors of values ~1e-25 and ~1e25 the backend's per-tensor norms, global
 * norm and clipping telemetry must agree with a float64 computation on the host to 1e-5
 * relative: as positive, finite numbers.
 */

/** Float64 norm of the float32 values actually uploaded. */
function hostNorm(values: readonly number[]): number {
  const m = values.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  return m === 0 ? 0 : m * Math.sqrt(values.reduce((s, v) => s + (v / m) ** 2, 0));
}

/** n float32 values of magnitude about `scale`, of both signs, from a fixed seed. */
function sample(n: number, scale: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.fround((s / 2147483648 - 0.5) * 2 * scale);
  });
}

async function readScalar(t: tf.Tensor): Promise<number> {
  try {
    return (await t.data())[0] as number;
  } finally {
    t.dispose();
  }
}

const CASES: readonly { label: string; scale: number }[] = [
  { label: 'squares underflow', scale: 1e-25 },
  { label: 'squares overflow', scale: 1e25 },
];

export async function checkNormRange(ctx: KitContext): Promise<void> {
  await ctx.onBackend();
  const before = tf.memory().numTensors;
  const problems: string[] = [];
  const compare = (what: string, got: number, expected: number) => {
    const rel = Math.abs(got - expected) / expected;
    if (!(got > 0 && Number.isFinite(got) && rel <= 1e-5)) {
      problems.push(`${what}: ${got}, float64 ${fmt(expected)} (relative ${fmt(rel)})`);
    }
  };
  for (const { label, scale } of CASES) {
    // A 64x32 kernel-like tensor and a small bias-like one, 100x apart.
    const kernel = sample(64 * 32, scale, 11);
    const bias = sample(32, scale / 100, 12);
    const tensors = [tf.tensor2d(kernel, [64, 32]), tf.tensor1d(bias)];
    try {
      compare(
        `${label}: norm of the kernel`,
        await readScalar(l2Norm(tensors[0] as tf.Tensor)),
        hostNorm(kernel),
      );
      compare(
        `${label}: norm of the bias`,
        await readScalar(l2Norm(tensors[1] as tf.Tensor)),
        hostNorm(bias),
      );
      const global = hostNorm([...kernel, ...bias]);
      compare(`${label}: global norm`, await readScalar(globalL2Norm(tensors)), global);
      const clip = clipTransform({ kind: 'global-norm', maxNorm: 1, errorIfNonFinite: false });
      const r = clip.apply(tensors, [], 1);
      const t = r.telemetry ?? {};
      compare(`${label}: clipping's preNorm`, await readScalar(t.preNorm as tf.Scalar), global);
      const post = await readScalar(t.postNorm as tf.Scalar);
      compare(`${label}: clipping's postNorm`, post, Math.min(global, 1));
      const clipped = await readScalar(t.clipped as tf.Scalar);
      if (clipped !== (global > 1 ? 1 : 0)) problems.push(`${label}: clipped = ${clipped}`);
      tf.dispose(r.grads);
    } finally {
      tf.dispose(tensors);
    }
  }
  expect(problems, problems.join('\n')).toEqual([]);
  expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
}
