import { GradlabError, type Initializer } from '@gradlab/core';
import { type InitLike, initVariance } from '@gradlab/theory';

/**
 * The theory's view of a spec initialiser for one fanIn x fanOut kernel: the initialiser itself
 * where the theory knows it, or a normal of the same variance where the spec scales it by a
 * `gain` (the variance argument depends on Var(w) alone). Zeros, identity and constant kernels
 * are not random, so no variance argument describes them: they are refused, naming the field.
 */
export function theoryInit(
  init: Initializer,
  fanIn: number,
  fanOut: number,
  field: string,
  negativeSlope = 0,
): InitLike {
  const spec = typeof init === 'string' ? { kind: init } : init;
  switch (spec.kind) {
    case 'normal':
      return { kind: 'normal', std: spec.std };
    case 'uniform':
      return { kind: 'uniform', limit: spec.limit };
    case 'zeros':
    case 'identity':
    case 'constant':
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `${field} is ${JSON.stringify(init)}; allowed: a random initialiser (xavier-*, he-*, lecun-*, orthogonal, normal or uniform), whose weight variance the theory predicts from`,
      );
    default: {
      const gain = 'gain' in spec && spec.gain !== undefined ? spec.gain : 1;
      if (gain === 1) return spec.kind;
      const variance = initVariance(spec.kind, fanIn, fanOut, negativeSlope) * gain ** 2;
      return { kind: 'normal', std: Math.sqrt(variance) };
    }
  }
}

/** The initialiser of dense layer `layer` (0-based) of a spec's `init`: one for all, or one per layer. */
export function layerInit(init: Initializer | readonly Initializer[], layer: number): Initializer {
  if (!Array.isArray(init)) return init as Initializer;
  const own = init[layer];
  if (own === undefined) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `init has ${init.length} entries; dense layer ${layer + 1} has none`,
    );
  }
  return own;
}
