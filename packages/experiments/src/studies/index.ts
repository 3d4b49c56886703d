import type { Study } from '../study.js';

/**
 * The catalogue of studies: each reproduces a published result and checks it. Order is the
 * order of `gradlab presets` and `gradlab verify all`.
 */
// biome-ignore lint/suspicious/noExplicitAny: each study has its own settings type
export const studies: readonly Study<any>[] = [];
