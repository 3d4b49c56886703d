import type { Initializer } from '@gradlab/core';
import { checkInitSetting } from '../../study-kit/init-setting.js';
import { isPositiveInteger, settingRules } from '../../study-kit/setting-rules.js';
import type { TangentActivation } from './log-gain-theory.js';

/** A network of `depth` hidden layers, each `width` wide. */
export interface Architecture {
  readonly depth: number;
  readonly width: number;
}

export interface WidthFluctuationSettings {
  /** n_0. */
  readonly inputSize: number;
  /**
   * gradlab initialiser of every kernel: "he-normal" in the study, W ~ N(0, 2 / fanIn). The
   * theory needs i.i.d. Gaussian weights; their scale drops out of Var[log ||J u||^2].
   */
  readonly init: Initializer;
  /** The sweep: one depth, several widths (beta = depth / width). */
  readonly depth: number;
  readonly widths: readonly number[];
  /** Architectures of one beta and different depths. */
  readonly equalBeta: readonly Architecture[];
  /** Independent random networks. */
  readonly networks: number;
  /** Random (x, u) pairs pushed through each network. */
  readonly inputsPerNetwork: number;
  /** Networks multiplied together in one batched matMul. */
  readonly chunk: number;
  readonly activation: TangentActivation;
  readonly seed: number;
  /** How much larger the variance of the largest-beta sweep network must be than the smallest's. */
  readonly minGrowth: number;
  /** Tolerance of the theory check, in jackknife standard errors. */
  readonly standardErrors: number;
  /**
   * Largest max/min ratio of the variances of the equal-beta architectures: 2 is the geometric
   * midpoint between equal (1) and a law in depth alone (the depth ratio, 4 in the study).
   */
  readonly maxEqualBetaRatio: number;
}

const full: WidthFluctuationSettings = {
  inputSize: 32,
  init: 'he-normal',
  depth: 10,
  widths: [16, 32, 64, 128],
  equalBeta: [
    { depth: 2, width: 16 },
    { depth: 4, width: 32 },
    { depth: 8, width: 64 },
  ],
  networks: 300,
  inputsPerNetwork: 8,
  chunk: 50,
  activation: 'relu',
  seed: 0,
  minGrowth: 4,
  standardErrors: 4,
  maxEqualBetaRatio: 2,
};

export const settings = {
  full,
  fast: { ...full, widths: [16, 32, 64], networks: 100, minGrowth: 2.5 },
};

export const scaleNote =
  "Depth 10 at widths 16-128 (full; CI: 16-64) plus three architectures of equal beta = 1/8 (2x16, 4x32, 8x64), 300 random networks (CI 100) with 8 inputs each. Every kernel is drawn by gradlab's own \"he-normal\" initialiser, exactly as a spec's model.init draws it; the log-variance does not depend on the weights' scale, so what it judges of the initialiser is that the weights are independent Gaussians. The claim is about random networks at initialisation, so no training is needed; beta from 0.08 to 0.63 spans the range where the variance is clearly measurable and the 5/n law holds up to O(1/n^2) terms, which the exact per-layer formula includes. Several inputs share each network (cheaper than drawing weights per sample); the jackknife over networks keeps the error bars honest.";

export function checkSettings(s: WidthFluctuationSettings): void {
  const rules = settingRules('width-fluctuations', s);
  const positiveInteger = (field: string, x: unknown) =>
    rules.expect(field, x, isPositiveInteger(x), 'a positive integer');
  const atLeastTwo = (xs: unknown) => Array.isArray(xs) && xs.length >= 2;
  rules.positiveIntegers('inputSize', 'depth', 'networks', 'inputsPerNetwork', 'chunk');
  rules.expect(
    'networks',
    s.networks,
    s.networks >= 2,
    'at least 2 (the error bar leaves one out)',
  );
  rules.expect('widths', s.widths, atLeastTwo(s.widths), 'at least two widths');
  for (const [i, w] of s.widths.entries()) positiveInteger(`widths[${i}]`, w);
  const architectures = 'at least two architectures { depth, width }';
  rules.expect('equalBeta', s.equalBeta, atLeastTwo(s.equalBeta), architectures);
  for (const [i, a] of s.equalBeta.entries()) {
    positiveInteger(`equalBeta[${i}].depth`, a.depth);
    positiveInteger(`equalBeta[${i}].width`, a.width);
  }
  rules.positive('minGrowth', 'standardErrors', 'maxEqualBetaRatio');
  const activation = s.activation === 'relu' || s.activation === 'linear';
  rules.expect('activation', s.activation, activation, '"relu" or "linear"');
  checkInitSetting('width-fluctuations', 'init', s.init);
}
