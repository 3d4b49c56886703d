import type * as tf from '@tensorflow/tfjs-core';
import { l2Norms, squareSums } from '../backends/fused-kernels.js';
import { gradientSlots, type LayerSlots, type MeasuredLayer } from './measure.js';
import type { SummaryPacker } from './packer.js';

/**
 * The training loop's gradient norms, in two tiers, so that healthy steps pay for sum(g^2) alone
 * and every reported norm is still exact (diagnostics/norm.ts says why sqrt(sum(g^2)) is not):
 *
 * 1. On the device, every step: the sum of squares of each gradient tensor, in the step's one
 *    packed read-back.
 * 2. On the host: a sum s of n squares is trusted when s >= n * 1.2e-32. Each entry whose square
 *    underflowed (|g| < 1.1e-19, square below float32's normal 1.2e-38) can be off by at most
 *    1.2e-38, so all of them together by at most n * 1.2e-38 = 1e-6 of s: the norm is then good
 *    to 5e-7. A smaller or non-finite sum (0 included: all zeros or all underflowed; Infinity:
 *    an overflow or an Inf entry) is recomputed scale-safely from the kept gradients, in a
 *    second read-back that only such steps make, as the NaN/Inf counts do.
 * The global norm is then sqrt(sum of squared norms) in float64 on the host, where neither
 * 1e-45^2 nor 3.4e38^2 leaves the range.
 */

/** Below this many times its entry count, a float32 sum of squares may have lost > 1e-6. */
export const TRUSTED_SQUARES_PER_ENTRY = 1.2e-32;

/** One gradient tensor's packed sum of squares, and the parameter whose gradient it is. */
export interface SquareSlot {
  readonly slot: number;
  readonly parameter: tf.Tensor;
  readonly size: number;
}

/** Whether a sum of squares must be recomputed scale-safely (see above). NaN stays NaN. */
export function needsExact(sumSquares: number, size: number): boolean {
  if (Number.isNaN(sumSquares)) return false;
  return !(Number.isFinite(sumSquares) && sumSquares >= size * TRUSTED_SQUARES_PER_ENTRY);
}

/**
 * Packs the sum of squares of every layer's kernel, bias and extra gradients (tier 1), and with
 * `weightNorms` the kernels' own norms (scale-safe, full steps only). The layers' gradNorm and
 * biasGradNorm slots hold SUMS OF SQUARES until `resolveGradientNorms` turns them into norms.
 * Call inside a tf.tidy.
 */
export function packGradientSquares(
  packer: SummaryPacker,
  layers: readonly MeasuredLayer[],
  grad: (parameter: tf.Tensor) => tf.Tensor,
  weightNorms: boolean,
): { layers: LayerSlots[]; squares: SquareSlot[] } {
  // Every gradient's sum of squares in one op (one kernel where the backend has it).
  const parameters = layers.flatMap((layer) => [
    layer.kernel,
    ...(layer.bias ? [layer.bias] : []),
    ...layer.extra,
  ]);
  const grads = parameters.map(grad);
  const base = grads.length > 0 ? packer.vector(squareSums(grads)) : 0;
  const squares: SquareSlot[] = parameters.map((parameter, i) => ({
    slot: base + i,
    parameter,
    size: (grads[i] as tf.Tensor).size,
  }));
  const weightBase =
    weightNorms && layers.length > 0 ? packer.vector(l2Norms(layers.map((l) => l.kernel))) : -1;
  let next = 0;
  const slots = layers.map((layer, i): LayerSlots => {
    const gradNorm = base + next++;
    const biasGradNorm = layer.bias ? base + next++ : -1;
    next += layer.extra.length;
    return gradientSlots(gradNorm, biasGradNorm, weightBase >= 0 ? weightBase + i : -1);
  });
  return { layers: slots, squares };
}

/**
 * Tier 2: the summary with every sum of squares replaced by its norm (recomputed scale-safely
 * from `gradOf(parameter)`, which must still be alive, where the sum cannot be trusted), and
 * the global norm of all the gradients.
 */
export async function resolveGradientNorms(
  values: ArrayLike<number>,
  squares: readonly SquareSlot[],
  gradOf: (parameter: tf.Tensor) => tf.Tensor,
): Promise<{ values: Float64Array; global: number }> {
  const out = Float64Array.from(values);
  const flagged = squares.filter((s) => needsExact(out[s.slot] as number, s.size));
  const exact = new Map<number, number>();
  if (flagged.length > 0) {
    const norms = l2Norms(flagged.map((s) => gradOf(s.parameter)));
    try {
      const read = await norms.data();
      for (const [i, s] of flagged.entries()) exact.set(s.slot, read[i] as number);
    } finally {
      norms.dispose();
    }
  }
  let sum = 0;
  for (const s of squares) {
    const norm = exact.get(s.slot) ?? Math.sqrt(out[s.slot] as number);
    out[s.slot] = norm;
    sum += norm * norm;
  }
  return { values: out, global: Math.sqrt(sum) };
}
