import { createRng, GradlabError } from '@gradlab/core';
import { gaussianMatrix, haarOrthogonal, singularValues } from '@gradlab/theory';
import * as tf from '@tensorflow/tfjs-core';

/** How each N x N layer of the deep linear network is drawn. */
export interface LinearInit {
  /** 'gaussian': W_ij ~ N(0, variance / N); 'orthogonal': W = sqrt(variance) Q, Q Haar-orthogonal. */
  readonly kind: 'gaussian' | 'orthogonal';
  /** sigma_w^2; 1 is the critical value of a linear network. */
  readonly variance: number;
}

/**
 * The singular values of J = W_L ... W_1, largest first, at each depth in `depths`, for one
 * draw of the layers. The weights are drawn on the host from (seed, stream), so every backend
 * multiplies the same numbers; the product runs on the active tfjs backend in float32, one
 * layer at a time; each requested prefix product is read back and decomposed on the host in
 * float64 (one-sided Jacobi).
 */
export async function jacobianSpectra(
  init: LinearInit,
  width: number,
  depths: readonly number[],
  seed: number,
  stream: string,
  signal?: AbortSignal,
): Promise<Map<number, Float64Array>> {
  const rng = createRng(seed, stream);
  const maxDepth = Math.max(...depths);
  const std = Math.sqrt(init.variance);
  const spectra = new Map<number, Float64Array>();
  let product: tf.Tensor2D | null = null;
  try {
    for (let layer = 1; layer <= maxDepth; layer++) {
      if (signal?.aborted) throw new GradlabError('RUN_CANCELLED', 'the study was cancelled');
      const w =
        init.kind === 'orthogonal'
          ? haarOrthogonal(width, rng).data.map((x) => std * x)
          : gaussianMatrix(width, width, rng, std / Math.sqrt(width)).data;
      const weights = tf.tensor2d(Float32Array.from(w), [width, width]);
      const previous: tf.Tensor2D | null = product;
      const next: tf.Tensor2D = previous ? tf.matMul(weights, previous) : weights;
      product = next;
      if (previous) {
        previous.dispose();
        weights.dispose();
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
