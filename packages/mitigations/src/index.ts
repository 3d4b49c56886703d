/**
 * @gradlab/mitigations: every mitigation of vanishing and exploding gradients from the
 * literature, as
 * - a named, documented catalogue of spec transforms (`applyMitigations(spec, 'relu+he-init')`,
 *   `listMitigations()`, `findMitigation(name)`), and
 * - a standalone API for your own tfjs training loop: gradient clipping on the grads map of
 *   `tf.variableGrads`, a learning-rate scheduler for any tfjs optimiser, weight penalties and
 *   weight clipping.
 * The tensor-level primitives live in @gradlab/core, whose training loop executes specs.
 */

/** The errors this package throws, re-exported from @gradlab/core for `catch` blocks. */
export { GradlabError, type GradlabErrorCode, isGradlabError } from '@gradlab/core';
export {
  applyMitigations,
  findMitigation,
  listMitigations,
  mitigations,
  parseVariant,
  type VariantToken,
} from './catalogue.js';
export { renderMitigationDocs } from './docs.js';
export {
  type Addresses,
  categories,
  type Mitigation,
  type MitigationCategory,
  type MitigationParam,
} from './mitigation.js';
export * from './standalone/index.js';
