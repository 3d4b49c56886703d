import { createRng, GradlabError, type Initializer, initKernel } from '@gradlab/core';
import { singularValues } from '@gradlab/theory';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The singular values of the input-output Jacobian of a deep linear network, largest first, at
 * each depth in `depths`, for one draw of its N x N layers. Each layer's kernel is drawn by
 * gradlab's own initKernel(init, N, N, rng), in order from one seeded stream: the weights a
 * spec's `model.init` gives, so the checks judge gradlab's initialisers, not a copy of them.
 * A kernel K maps row vectors, h_l = h_{l-1} K_l, so the Jacobian is K_1 K_2 ... K_L (the
 * transpose of W_L ... W_1 in column form: the same singular values). The product runs on the
 * active tfjs backend in float32, one layer at a time; each requested prefix product is read
 * back and decomposed on the host in float64 (one-sided Jacobi).
 */
export async function jacobianSpectra(
  init: Initializer,
  width: number,
  depths: readonly number[],
  seed: number,
  stream: string,
  signal?: AbortSignal,
): Promise<Map<number, Float64Array>> {
  const rng = createRng(seed, stream);
  const maxDepth = Math.max(...depths);
  const spectra = new Map<number, Float64Array>();
  let product: tf.Tensor2D | null = null;
  try {
    for (let layer = 1; layer <= maxDepth; layer++) {
      if (signal?.aborted) throw new GradlabError('RUN_CANCELLED', 'the study was cancelled');
      const kernel = tf.tensor2d(initKernel(init, width, width, rng), [width, width]);
      const previous: tf.Tensor2D | null = product;
      const next: tf.Tensor2D = previous ? tf.matMul(previous, kernel) : kernel;
      product = next;
      if (previous) {
        previous.dispose();
        kernel.dispose();
      }
      if (depths.includes(layer)) {
        const values = Float64Array.from(await next.data());
        spectra.set(layer, singularValues({ rows: width, cols: width, data: values }));
      }
    }
  } finally {
    (product as tf.Tensor2D | null)?.dispose();
  }
  return spectra;
}
