import { formatNumber, type Initializer } from '@gradlab/core';
import { deepLinearJacobianMoments } from '@gradlab/theory';
import { declareChecks, judged } from '../../define/define-study.js';
import type { CheckResult, JudgeContext } from '../../study.js';
import { initLabel } from '../../study-kit/init-setting.js';
import { mean } from '../../study-kit/series.js';
import { jacobianSpectra } from './jacobian-spectra.js';
import type { DeepLinearSettings } from './settings.js';
import { meanAndStandardError, type SpectrumStats, spectrumStats } from './spectrum-stats.js';

/**
 * The checks, with what each measures, its tolerance, and the settings that make it fail, with
 * what the fast run measured under them (deep-linear.test.ts runs each).
 */
export const declared = declareChecks({
  'orthogonal-isometry': {
    claim:
      'With orthogonal layers every singular value of the input-output Jacobian is 1, at every depth',
    measures:
      'The largest |s - 1| over the singular values s of J = W_L ... W_1 of the orthogonal arm, over every depth and draw.',
    tolerance:
      'Below `isometryTolerance` = 1e-4, the float32 rounding of the kernels and of their product; measured 1.3e-6 (fast, at depth 32).',
    counterfactuals: [
      {
        change: '`orthogonalInit: "lecun-normal"` (Gaussian layers)',
        measured: 'max |s - 1| = 6.89.',
      },
      {
        change: '`orthogonalInit: { kind: "orthogonal", gain: 1.01 }` (1% too large)',
        measured: 'max |s - 1| = 0.375 at depth 32, 1.01^32 - 1.',
      },
    ],
  },
  'gaussian-mean-squared-singular-value': {
    claim:
      'With Gaussian N(0, 1/N) layers the mean squared singular value (1/N) tr(J J^T) stays 1 at every depth, as the theory predicts',
    measures:
      '(1/N) tr(J J^T) of the Gaussian arm, the mean of s^2, averaged over the draws at each depth.',
    tolerance:
      "1 within `standardErrors` = 4 standard errors of the mean, from the theory's exact finite-N sampling variance; measured 0.99, 1.01, 1.02, 0.91 at depths 1, 4, 8, 32 (fast).",
    counterfactuals: [
      {
        change: '`gaussianInit: { kind: "normal", std: sqrt(1.2/N) }` (variance 20% high)',
        measured: '1.19, 2.10, 4.39 and 312 at depths 1, 4, 8, 32: 1.2^L.',
      },
    ],
  },
  'gaussian-second-moment': {
    claim:
      'With Gaussian N(0, 1/N) layers the mean of s^4, (1/N) tr((J J^T)^2), grows with depth as the theory predicts (L + 1 for large N)',
    measures:
      '(1/N) tr((J J^T)^2) of the Gaussian arm, the mean of s^4, averaged over the draws at the depths L <= N/8.',
    tolerance:
      'The finite-N theory within 4 standard errors of the mean over the draws; measured 1.97, 5.15, 9.70 against 2.02, 5.16, 9.63 at depths 1, 4, 8 (fast).',
    counterfactuals: [
      {
        change: '`gaussianInit: "orthogonal"`',
        measured: '1.000 at every depth.',
      },
      {
        change: '`gaussianInit: { kind: "normal", std: sqrt(1.2/N) }`',
        measured: '2.83, 22.2, 179 at depths 1, 4, 8.',
      },
    ],
  },
  'gaussian-spread-grows': {
    claim: 'With Gaussian layers the singular values spread further apart with every depth',
    measures:
      "The standard deviation of ln s over the larger half of the Gaussian arm's spectrum, averaged over the draws at each depth.",
    tolerance:
      'Increasing at every added depth and at least `minSpread` = 0.5 at the deepest (an isometry gives 0); measured 0.24, 0.70, 1.16, 3.67 at depths 1, 4, 8, 32 (fast).',
    counterfactuals: [
      {
        change: '`gaussianInit: "orthogonal"`',
        measured: '9.7e-9 to 3.2e-7, float32 rounding.',
      },
    ],
  },
});

const fmt = (x: number) => formatNumber(x, { digits: 4 });

/** One arm at one depth: the statistics of every draw, and the first draw's spectrum. */
export interface ArmAtDepth {
  readonly draws: readonly SpectrumStats[];
  readonly spectrum: Float64Array;
}

/** One statistic of every draw of an arm at one depth. */
export const drawsOf = (d: ArmAtDepth, key: keyof SpectrumStats): number[] =>
  d.draws.map((x) => x[key]);

/**
 * Both arms, decomposed at every depth, and the theory there: the host numerics of the study
 * (the products run on the active tfjs backend). Draw k of an arm reads its own stream, so an
 * arm's numbers do not depend on the other arm.
 */
export async function measure(s: DeepLinearSettings, ctx: JudgeContext) {
  let done = 0;
  // Draws every chain of one arm; answers with the arm at a depth.
  const drawArm = async (init: Initializer, name: string) => {
    const draws: Map<number, Float64Array>[] = [];
    for (let k = 0; k < s.seeds; k++) {
      const stream = `deep-linear/${name}-arm/${k}`;
      draws.push(await jacobianSpectra(init, s.width, s.depths, s.seed, stream, ctx.signal));
      ctx.progress(`${name} arm layers: draw ${k + 1} of ${s.seeds}`, ++done / (2 * s.seeds));
    }
    return (depth: number): ArmAtDepth => {
      const spectra = draws.map((d) => d.get(depth) as Float64Array);
      return { draws: spectra.map(spectrumStats), spectrum: spectra[0] as Float64Array };
    };
  };
  const orthogonal = await drawArm(s.orthogonalInit, 'orthogonal');
  const gaussian = await drawArm(s.gaussianInit, 'gaussian');
  return s.depths.map((depth) => ({
    depth,
    orthogonal: orthogonal(depth),
    gaussian: gaussian(depth),
    theory: deepLinearJacobianMoments(1, depth, { width: s.width }),
  }));
}

/** Both arms and the theory at one depth. */
export type Depth = Awaited<ReturnType<typeof measure>>[number];

export function checks(s: DeepLinearSettings, depths: readonly Depth[]): CheckResult[] {
  const N = s.width;
  const orthogonalLabel = initLabel(s.orthogonalInit);
  const gaussianLabel = initLabel(s.gaussianInit);
  const perDepth = <R extends { depth: number }>(rows: readonly R[], show: (r: R) => string) =>
    rows.map((r) => `L=${r.depth}: ${show(r)}`).join(', ');

  // 1. Isometry of the orthogonal arm: the worst draw at any depth.
  let worst = { deviation: 0, depth: s.depths[0] as number, seed: 0 };
  for (const { depth, orthogonal } of depths) {
    drawsOf(orthogonal, 'maxDeviation').forEach((d, k) => {
      if (!(d <= worst.deviation)) worst = { deviation: d, depth, seed: k };
    });
  }
  const maxDeviation = (r: Depth) => Math.max(...drawsOf(r.orthogonal, 'maxDeviation'));

  // 2. The mean squared singular value: exact expectation 1, exact sampling variance.
  const meanRows = depths.map(({ depth, gaussian, theory: t }) => {
    // E[((1/N) tr A)^2] = secondMoment - variance of s^2; minus the squared mean: Var[(1/N) tr A].
    const samplingVariance =
      t.secondMoment - t.squaredSingularValueVariance - t.meanSquaredSingularValue ** 2;
    const tolerance = s.standardErrors * Math.sqrt(Math.max(0, samplingVariance) / s.seeds);
    const measured = mean(drawsOf(gaussian, 'mean'));
    const ok = Math.abs(measured - t.meanSquaredSingularValue) <= tolerance;
    return { depth, mean: measured, tolerance, ok };
  });

  // 3. The fourth moment against the finite-N theory, where a few draws estimate it.
  const momentRows = depths
    .filter(({ depth }) => depth <= N / 8)
    .map(({ depth, gaussian, theory: t }) => {
      const { mean, standardError } = meanAndStandardError(drawsOf(gaussian, 'second'));
      const tolerance = s.standardErrors * standardError;
      const ok = Math.abs(mean - t.secondMoment) <= tolerance;
      return { depth, mean, standardError, expected: t.secondMoment, tolerance, ok };
    });

  // 4. The spread grows with depth.
  const spreads = depths.map((r) => ({
    depth: r.depth,
    spread: mean(drawsOf(r.gaussian, 'spread')),
  }));
  const increasing = spreads.every(
    (x, i) => i === 0 || x.spread > (spreads[i - 1]?.spread as number),
  );
  const deepest = spreads[spreads.length - 1]?.spread as number;

  return [
    judged(declared, 'orthogonal-isometry', {
      pass: worst.deviation < s.isometryTolerance,
      measured: `init ${orthogonalLabel}: max |s - 1| = ${fmt(worst.deviation)} (depth ${worst.depth}, draw ${worst.seed}); per depth: ${perDepth(depths, (r) => fmt(maxDeviation(r)))}`,
      expected: `every s = 1 (Saxe et al. 2014): max |s - 1| < ${s.isometryTolerance} at depths ${s.depths.join(', ')}, the float32 rounding of the kernels and of their product`,
      values: {
        maxDeviation: worst.deviation,
        ...Object.fromEntries(depths.map((r) => [`maxDeviationL${r.depth}`, maxDeviation(r)])),
      },
    }),
    judged(declared, 'gaussian-mean-squared-singular-value', {
      pass: meanRows.every((r) => r.ok),
      measured: `init ${gaussianLabel}: (1/N) tr(J J^T), mean of ${s.seeds} draws: ${perDepth(meanRows, (r) => fmt(r.mean))}`,
      expected: `1 = sigma_w^(2L) at sigma_w^2 = N Var[W_ij] = 1 (deepLinearJacobianMoments, N = ${N}), within ${s.standardErrors} standard errors of the mean, the exact finite-N sampling spread: ${perDepth(meanRows, (r) => `+/- ${fmt(r.tolerance)}`)}`,
      values: Object.fromEntries(meanRows.map((r) => [`meanL${r.depth}`, r.mean])),
    }),
    judged(declared, 'gaussian-second-moment', {
      pass: momentRows.length > 0 && momentRows.every((r) => r.ok),
      measured: `init ${gaussianLabel}: (1/N) tr((J J^T)^2), mean of ${s.seeds} draws: ${perDepth(momentRows, (r) => `${fmt(r.mean)} +/- ${fmt(r.standardError)}`)}`,
      expected: `the finite-N theory (deepLinearJacobianMoments, N = ${N}; L + 1 as N grows): ${perDepth(momentRows, (r) => fmt(r.expected))}, within ${s.standardErrors} standard errors of the mean over draws, at the depths L <= N/8`,
      values: Object.fromEntries(
        momentRows.flatMap((r) => [
          [`secondL${r.depth}`, r.mean],
          [`theoryL${r.depth}`, r.expected],
        ]),
      ),
    }),
    judged(declared, 'gaussian-spread-grows', {
      pass: increasing && deepest >= s.minSpread,
      measured: `init ${gaussianLabel}: std of ln s over the larger half of the spectrum: ${perDepth(spreads, (r) => fmt(r.spread))}${increasing ? '' : ' (not increasing)'}`,
      expected: `increasing at every added depth and at least ${s.minSpread} at L = ${s.depths[s.depths.length - 1]} (an isometry gives 0; the theory's variance of s^2 grows as L)`,
      values: Object.fromEntries(spreads.map((r) => [`spreadL${r.depth}`, r.spread])),
    }),
  ];
}
