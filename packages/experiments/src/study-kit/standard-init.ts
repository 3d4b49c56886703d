import type { Initializer } from '@gradlab/core';

/**
 * The "standard" initialisation of Glorot & Bengio (2010), the common heuristic before theirs:
 * W ~ U[-1/sqrt(n), 1/sqrt(n)] with n the layer's fan-in. Its variance 1/(3n) shrinks the
 * signal by a factor sqrt(1/3) per layer before any activation does. One initialiser per dense
 * layer, for a spec's per-layer `init` list.
 */
export function standardUniformInit(
  inputSize: number,
  hiddenWidths: readonly number[],
): Initializer[] {
  return [inputSize, ...hiddenWidths].map((fanIn) => ({
    kind: 'uniform' as const,
    limit: 1 / Math.sqrt(fanIn),
  }));
}
