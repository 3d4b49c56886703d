import type { Initializer } from '@gradlab/core';
import { checkInitSetting } from '../../study-kit/init-setting.js';
import { settingRules } from '../../study-kit/setting-rules.js';

export interface DeepLinearSettings {
  /** N: every layer is N x N. */
  readonly width: number;
  /** Depths L at which J = W_L ... W_1 is decomposed (prefixes of one chain of layers per seed). */
  readonly depths: readonly number[];
  /** Independent draws of the whole chain. */
  readonly seeds: number;
  readonly seed: number;
  /**
   * gradlab initialiser of every layer of the arm the isometry check judges: "orthogonal" in
   * the study (Saxe et al. 2014).
   */
  readonly orthogonalInit: Initializer;
  /**
   * gradlab initialiser of every layer of the arm the moment and spread checks judge:
   * "lecun-normal" in the study, W_ij ~ N(0, 1 / fanIn) = N(0, 1/N) on N x N layers, the
   * critical sigma_w^2 = 1 of a linear network.
   */
  readonly gaussianInit: Initializer;
  /** max |s - 1| allowed for the orthogonal arm: float32 rounding of L kernels and their product. */
  readonly isometryTolerance: number;
  /** Tolerances of the moment checks, in standard errors of the mean over seeds. */
  readonly standardErrors: number;
  /** The top-half log-spread the deepest Gaussian product must at least reach. */
  readonly minSpread: number;
}

const full: DeepLinearSettings = {
  width: 128,
  depths: [1, 4, 16, 64],
  seeds: 10,
  seed: 0,
  orthogonalInit: 'orthogonal',
  gaussianInit: 'lecun-normal',
  isometryTolerance: 1e-4,
  standardErrors: 4,
  minSpread: 0.5,
};

export const settings = { full, fast: { ...full, width: 64, depths: [1, 4, 8, 32], seeds: 6 } };

export const scaleNote =
  'Width 128 and depths up to 64 (full; CI: width 64, depths up to 32), 10 (CI 6) draws per depth. Every layer is drawn by gradlab\'s own initialisers, "orthogonal" and "lecun-normal" (N(0, 1/N) on N x N layers), exactly as a spec\'s model.init draws it, so the checks judge what a user gets. The claims are about the spectrum of a product of random matrices, which needs no training: a width of 64-128 already shows the large-N moments to within the finite-N corrections the theory includes (its moments are exact at the width used), and the spread at depth 64 is orders of magnitude. The fourth-moment check stops at L <= N/8: beyond, the mean of s^4 is carried by rare large top singular values and a handful of draws underestimates it.';

export function checkSettings(s: DeepLinearSettings): void {
  const rules = settingRules('deep-linear', s);
  const atLeastTwo = (x: number) => Number.isInteger(x) && x >= 2;
  rules.expect('width', s.width, atLeastTwo(s.width), 'an integer >= 2');
  const twoDepths = Array.isArray(s.depths) && s.depths.length >= 2;
  rules.expect('depths', s.depths, twoDepths, 'at least two depths');
  s.depths.forEach((d, i) => {
    const increasing =
      Number.isInteger(d) && d >= 1 && (i === 0 || d > (s.depths[i - 1] as number));
    rules.expect(`depths[${i}]`, d, increasing, 'increasing integers >= 1');
  });
  rules.expect('seeds', s.seeds, atLeastTwo(s.seeds), 'an integer >= 2');
  rules.positive('isometryTolerance', 'standardErrors', 'minSpread');
  checkInitSetting('deep-linear', 'orthogonalInit', s.orthogonalInit);
  checkInitSetting('deep-linear', 'gaussianInit', s.gaussianInit);
}
