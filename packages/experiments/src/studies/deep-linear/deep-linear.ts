import { formatNumber, GradlabError, type Initializer } from '@gradlab/core';
import { deepLinearJacobianMoments } from '@gradlab/theory';
import type { CheckResult, FigurePoint, Study, StudyTable } from '../../study.js';
import { checkInitSetting, initLabel } from '../init-setting.js';
import { jacobianSpectra } from './jacobian-spectra.js';
import {
  maxDeviationFromOne,
  meanAndStandardError,
  squaredMoments,
  topHalfLogSpread,
} from './spectrum-stats.js';

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

/**
 * The checks, with what each measures, its tolerance, and the settings that make it fail, with
 * what the fast run measured under them (deep-linear.test.ts runs each).
 */
const CHECKS = [
  {
    id: 'orthogonal-isometry',
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
  {
    id: 'gaussian-mean-squared-singular-value',
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
  {
    id: 'gaussian-second-moment',
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
  {
    id: 'gaussian-spread-grows',
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
] as const;

function claimOf(id: (typeof CHECKS)[number]['id']): string {
  return CHECKS.find((c) => c.id === id)?.claim ?? id;
}

function checkSettings(s: DeepLinearSettings): void {
  const bad = (field: string, value: unknown, allowed: string) =>
    new GradlabError(
      'INVALID_ARGUMENT',
      `deep-linear setting ${field} is ${JSON.stringify(value)}; expected ${allowed}`,
    );
  if (!Number.isInteger(s.width) || s.width < 2) throw bad('width', s.width, 'an integer >= 2');
  if (!Array.isArray(s.depths) || s.depths.length < 2) {
    throw bad('depths', s.depths, 'at least two depths');
  }
  s.depths.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1 || (i > 0 && d <= (s.depths[i - 1] as number))) {
      throw bad(`depths[${i}]`, d, 'increasing integers >= 1');
    }
  });
  if (!Number.isInteger(s.seeds) || s.seeds < 2) throw bad('seeds', s.seeds, 'an integer >= 2');
  for (const key of ['isometryTolerance', 'standardErrors', 'minSpread'] as const) {
    if (!(s[key] > 0)) throw bad(key, s[key], 'a number > 0');
  }
  checkInitSetting('deep-linear', 'orthogonalInit', s.orthogonalInit);
  checkInitSetting('deep-linear', 'gaussianInit', s.gaussianInit);
}

const fmt = (x: number) => formatNumber(x, { digits: 4 });

interface DepthMeasurement {
  readonly depth: number;
  /** Per seed. */
  readonly mean: number[];
  readonly second: number[];
  readonly spread: number[];
  readonly maxDeviation: number[];
  /** Seed 0's spectrum, for the figure. */
  readonly spectrum: Float64Array;
}

async function measureArm(
  init: Initializer,
  armName: string,
  s: DeepLinearSettings,
  onSeed: (k: number) => void,
  signal?: AbortSignal,
): Promise<DepthMeasurement[]> {
  const rows = s.depths.map(
    (depth): DepthMeasurement => ({
      depth,
      mean: [],
      second: [],
      spread: [],
      maxDeviation: [],
      spectrum: new Float64Array(0),
    }),
  );
  const spectra0: Float64Array[] = [];
  for (let k = 0; k < s.seeds; k++) {
    const spectra = await jacobianSpectra(
      init,
      s.width,
      s.depths,
      s.seed,
      `deep-linear/${armName}/${k}`,
      signal,
    );
    s.depths.forEach((depth, i) => {
      const sv = spectra.get(depth) as Float64Array;
      const row = rows[i] as DepthMeasurement;
      const m = squaredMoments(sv);
      row.mean.push(m.mean);
      row.second.push(m.second);
      row.spread.push(topHalfLogSpread(sv));
      row.maxDeviation.push(maxDeviationFromOne(sv));
      if (k === 0) spectra0[i] = sv;
    });
    onSeed(k);
  }
  return rows.map((r, i) => ({ ...r, spectrum: spectra0[i] as Float64Array }));
}

export const deepLinearStudy: Study<DeepLinearSettings> = {
  name: 'deep-linear',
  title:
    'Deep linear networks: orthogonal layers keep the Jacobian an isometry, Gaussian layers spread it',
  reference:
    'Saxe, McClelland & Ganguli (2014), Exact solutions to the nonlinear dynamics of learning in deep linear neural networks, ICLR; Pennington, Schoenholz & Ganguli (2017), Resurrecting the sigmoid in deep learning through dynamical isometry, NeurIPS.',
  claim:
    'In a deep linear network the input-output Jacobian of orthogonal layers has every singular value equal to 1 at any depth, while Gaussian N(0, 1/N) layers keep the mean squared singular value at 1 but spread the spectrum further with every layer (variance of s^2 = L).',
  scaleNote:
    'Width 128 and depths up to 64 (full; CI: width 64, depths up to 32), 10 (CI 6) draws per depth. Every layer is drawn by gradlab\'s own initialisers, "orthogonal" and "lecun-normal" (N(0, 1/N) on N x N layers), exactly as a spec\'s model.init draws it, so the checks judge what a user gets. The claims are about the spectrum of a product of random matrices, which needs no training: a width of 64-128 already shows the large-N moments to within the finite-N corrections the theory includes (its moments are exact at the width used), and the spread at depth 64 is orders of magnitude. The fourth-moment check stops at L <= N/8: beyond, the mean of s^4 is carried by rare large top singular values and a handful of draws underestimates it.',
  usesBackend: true,
  checks: CHECKS,
  settings: {
    full: {
      width: 128,
      depths: [1, 4, 16, 64],
      seeds: 10,
      seed: 0,
      orthogonalInit: 'orthogonal',
      gaussianInit: 'lecun-normal',
      isometryTolerance: 1e-4,
      standardErrors: 4,
      minSpread: 0.5,
    },
    fast: {
      width: 64,
      depths: [1, 4, 8, 32],
      seeds: 6,
      seed: 0,
      orthogonalInit: 'orthogonal',
      gaussianInit: 'lecun-normal',
      isometryTolerance: 1e-4,
      standardErrors: 4,
      minSpread: 0.5,
    },
  },
  run: async (ctx, s) => {
    checkSettings(s);
    const total = 2 * s.seeds;
    let done = 0;
    const tick = (arm: string) => (k: number) => {
      done++;
      ctx.progress(`${arm} layers: draw ${k + 1} of ${s.seeds}`, done / total);
    };
    const orthogonal = await measureArm(
      s.orthogonalInit,
      'orthogonal-arm',
      s,
      tick('orthogonal arm'),
      ctx.signal,
    );
    const gaussian = await measureArm(
      s.gaussianInit,
      'gaussian-arm',
      s,
      tick('gaussian arm'),
      ctx.signal,
    );
    const N = s.width;
    const orthogonalLabel = initLabel(s.orthogonalInit);
    const gaussianLabel = initLabel(s.gaussianInit);
    const theory = s.depths.map((L) => deepLinearJacobianMoments(1, L, { width: N }));
    const checks: CheckResult[] = [];

    // 1. Isometry of the orthogonal arm.
    let worst = { deviation: 0, depth: s.depths[0] as number, seed: 0 };
    for (const row of orthogonal) {
      row.maxDeviation.forEach((d, k) => {
        if (!(d <= worst.deviation)) worst = { deviation: d, depth: row.depth, seed: k };
      });
    }
    checks.push({
      id: 'orthogonal-isometry',
      claim: claimOf('orthogonal-isometry'),
      pass: worst.deviation < s.isometryTolerance,
      measured: `init ${orthogonalLabel}: max |s - 1| = ${fmt(worst.deviation)} (depth ${worst.depth}, draw ${worst.seed}); per depth: ${orthogonal.map((r) => `L=${r.depth}: ${fmt(Math.max(...r.maxDeviation))}`).join(', ')}`,
      expected: `every s = 1 (Saxe et al. 2014): max |s - 1| < ${s.isometryTolerance} at depths ${s.depths.join(', ')}, the float32 rounding of the kernels and of their product`,
      values: {
        maxDeviation: worst.deviation,
        ...Object.fromEntries(
          orthogonal.map((r) => [`maxDeviationL${r.depth}`, Math.max(...r.maxDeviation)]),
        ),
      },
    });

    // 2. The mean squared singular value: exact expectation 1, exact sampling variance.
    const meanRows = gaussian.map((row, i) => {
      const t = theory[i] as ReturnType<typeof deepLinearJacobianMoments>;
      // E[((1/N) tr A)^2] = secondMoment - variance of s^2; minus the squared mean: Var[(1/N) tr A].
      const samplingVariance =
        t.secondMoment - t.squaredSingularValueVariance - t.meanSquaredSingularValue ** 2;
      const standardError = Math.sqrt(Math.max(0, samplingVariance) / s.seeds);
      const { mean } = meanAndStandardError(row.mean);
      const tolerance = s.standardErrors * standardError;
      return {
        depth: row.depth,
        mean,
        expected: t.meanSquaredSingularValue,
        tolerance,
        ok: Math.abs(mean - t.meanSquaredSingularValue) <= tolerance,
      };
    });
    checks.push({
      id: 'gaussian-mean-squared-singular-value',
      claim: claimOf('gaussian-mean-squared-singular-value'),
      pass: meanRows.every((r) => r.ok),
      measured: `init ${gaussianLabel}: (1/N) tr(J J^T), mean of ${s.seeds} draws: ${meanRows.map((r) => `L=${r.depth}: ${fmt(r.mean)}`).join(', ')}`,
      expected: `1 = sigma_w^(2L) at sigma_w^2 = N Var[W_ij] = 1 (deepLinearJacobianMoments, N = ${N}), within ${s.standardErrors} standard errors of the mean, the exact finite-N sampling spread: ${meanRows.map((r) => `L=${r.depth}: +/- ${fmt(r.tolerance)}`).join(', ')}`,
      values: Object.fromEntries(meanRows.map((r) => [`meanL${r.depth}`, r.mean])),
    });

    // 3. The fourth moment against the finite-N theory, where a few draws estimate it.
    const momentRows = gaussian
      .map((row, i) => ({ row, t: theory[i] as ReturnType<typeof deepLinearJacobianMoments> }))
      .filter(({ row }) => row.depth <= N / 8)
      .map(({ row, t }) => {
        const { mean, standardError } = meanAndStandardError(row.second);
        const tolerance = s.standardErrors * standardError;
        return {
          depth: row.depth,
          mean,
          standardError,
          expected: t.secondMoment,
          tolerance,
          ok: Math.abs(mean - t.secondMoment) <= tolerance,
        };
      });
    checks.push({
      id: 'gaussian-second-moment',
      claim: claimOf('gaussian-second-moment'),
      pass: momentRows.length > 0 && momentRows.every((r) => r.ok),
      measured: `init ${gaussianLabel}: (1/N) tr((J J^T)^2), mean of ${s.seeds} draws: ${momentRows.map((r) => `L=${r.depth}: ${fmt(r.mean)} +/- ${fmt(r.standardError)}`).join(', ')}`,
      expected: `the finite-N theory (deepLinearJacobianMoments, N = ${N}; L + 1 as N grows): ${momentRows.map((r) => `L=${r.depth}: ${fmt(r.expected)}`).join(', ')}, within ${s.standardErrors} standard errors of the mean over draws, at the depths L <= N/8`,
      values: Object.fromEntries(
        momentRows.flatMap((r) => [
          [`secondL${r.depth}`, r.mean],
          [`theoryL${r.depth}`, r.expected],
        ]),
      ),
    });

    // 4. The spread grows with depth.
    const spreads = gaussian.map((r) => meanAndStandardError(r.spread).mean);
    const increasing = spreads.every((x, i) => i === 0 || x > (spreads[i - 1] as number));
    const deepest = spreads[spreads.length - 1] as number;
    checks.push({
      id: 'gaussian-spread-grows',
      claim: claimOf('gaussian-spread-grows'),
      pass: increasing && deepest >= s.minSpread,
      measured: `init ${gaussianLabel}: std of ln s over the larger half of the spectrum: ${gaussian.map((r, i) => `L=${r.depth}: ${fmt(spreads[i] as number)}`).join(', ')}${increasing ? '' : ' (not increasing)'}`,
      expected: `increasing at every added depth and at least ${s.minSpread} at L = ${s.depths[s.depths.length - 1]} (an isometry gives 0; the theory's variance of s^2 grows as L)`,
      values: Object.fromEntries(
        gaussian.map((r, i) => [`spreadL${r.depth}`, spreads[i] as number]),
      ),
    });

    // Both arms may be given one initialiser (a counterfactual): keep their lines apart.
    const sameInit = gaussianLabel === orthogonalLabel;
    const gaussianSeries = sameInit ? `${gaussianLabel} (Gaussian arm)` : gaussianLabel;
    const orthogonalSeries = sameInit ? `${orthogonalLabel} (orthogonal arm)` : orthogonalLabel;
    const spectraPoints: FigurePoint[] = [];
    for (const [arm, rows] of [
      [gaussianSeries, gaussian],
      [orthogonalSeries, orthogonal],
    ] as const) {
      for (const row of rows) {
        row.spectrum.forEach((v, i) => {
          spectraPoints.push({ series: `${arm}, L = ${row.depth}`, x: (i + 1) / N, y: v });
        });
      }
    }
    const momentPoints: FigurePoint[] = s.depths.flatMap((depth, i) => [
      {
        series: `${gaussianSeries}, measured`,
        x: depth,
        y: meanAndStandardError((gaussian[i] as DepthMeasurement).second).mean,
      },
      {
        series: `theory, N = ${N}`,
        x: depth,
        y: (theory[i] as ReturnType<typeof deepLinearJacobianMoments>).secondMoment,
      },
      {
        series: `${orthogonalSeries}, measured`,
        x: depth,
        y: meanAndStandardError((orthogonal[i] as DepthMeasurement).second).mean,
      },
    ]);
    const table: StudyTable = {
      id: 'moments',
      title: `Jacobian spectra, N = ${N}, ${s.seeds} draws per depth (mean); Gaussian arm ${gaussianLabel}, orthogonal arm ${orthogonalLabel}`,
      columns: [
        'depth L',
        'Gaussian (1/N) tr JJ^T',
        'Gaussian (1/N) tr (JJ^T)^2',
        'theory (N finite)',
        'Gaussian s_max',
        'Gaussian log-spread',
        'orthogonal max |s - 1|',
      ],
      rows: s.depths.map((depth, i) => {
        const g = gaussian[i] as DepthMeasurement;
        return [
          depth,
          Number(meanAndStandardError(g.mean).mean.toPrecision(4)),
          Number(meanAndStandardError(g.second).mean.toPrecision(4)),
          Number(
            (theory[i] as ReturnType<typeof deepLinearJacobianMoments>).secondMoment.toPrecision(4),
          ),
          Number((g.spectrum[0] as number).toPrecision(4)),
          Number((spreads[i] as number).toPrecision(4)),
          Number(Math.max(...(orthogonal[i] as DepthMeasurement).maxDeviation).toPrecision(3)),
        ];
      }),
    };
    return {
      checks,
      figures: [
        {
          id: 'spectra',
          title: `Singular values of J = W_L ... W_1 (N = ${N}, one draw)`,
          kind: 'line',
          x: { title: 'rank i / N' },
          y: { title: 'singular value s_i', log: true },
          points: spectraPoints,
          caption:
            'Orthogonal layers: every singular value stays at 1 at every depth. Gaussian layers: the spectrum fans out with depth, the largest values growing and the rest collapsing (below ~1e-7 of the largest the float32 product only resolves rounding).',
        },
        {
          id: 'second-moment',
          title: 'Mean of s^4 against depth',
          kind: 'line',
          x: { title: 'depth L', log: true },
          y: { title: '(1/N) tr((J J^T)^2)', log: true },
          points: momentPoints,
          caption:
            'Gaussian layers follow the theory (L + 1 as N grows) until L approaches N, where a few draws miss the rare large values that carry the mean; orthogonal layers stay at 1.',
        },
      ],
      tables: [table],
    };
  },
};
