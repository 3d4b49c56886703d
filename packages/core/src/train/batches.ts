import { createRng, permutation } from '../random.js';

/**
 * Seeded mini-batch indices: epochs of shuffled indices, every batch full-sized (an epoch's
 * tail joins the next epoch's head), so batch shapes never change and the sequence of batches
 * is the same on every backend.
 */
export function batchSampler(seed: number, size: number, batchSize: number): () => Int32Array {
  const rng = createRng(seed, 'batches');
  let order = permutation(rng, size);
  let pos = 0;
  return () => {
    const out = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; i++) {
      if (pos === size) {
        order = permutation(rng, size);
        pos = 0;
      }
      out[i] = order[pos++] as number;
    }
    return out;
  };
}
