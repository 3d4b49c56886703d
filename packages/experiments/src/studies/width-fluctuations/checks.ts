import { formatNumber } from '@gradlab/core';
import { declareChecks, judged } from '../../define/define-study.js';
import type { CheckResult, JudgeContext } from '../../study.js';
import { initLabel } from '../../study-kit/init-setting.js';
import { clusteredVariance } from './clustered-variance.js';
import { beta, logGainVariance } from './log-gain-theory.js';
import type { Architecture, WidthFluctuationSettings } from './settings.js';
import { logTangentNorms } from './tangent-norms.js';

/**
 * The checks, with what each measures, its tolerance, and the settings that make it fail, with
 * what the fast run measured under them (width-fluctuations.test.ts runs each).
 */
export const declared = declareChecks({
  'narrower-fluctuates-more': {
    claim:
      'At fixed depth, narrower ReLU layers give a larger variance of log ||J u||^2: it grows with beta = sum of 1/width',
    measures:
      'Var[log ||J u||^2] over random networks of depth 10 at each width of the sweep, and its growth from the widest to the narrowest.',
    tolerance:
      'Increasing in beta and growing by at least `minGrowth` (x2.5 fast, where beta spans x4 and the theory x5.1; x4 full, where beta spans x8); measured x5.36 (fast).',
    counterfactuals: [
      {
        change: '`widths: [32, 32, 32]` (one width: beta does not change)',
        measured: 'x1.00, not increasing.',
      },
    ],
  },
  'matches-relu-theory': {
    claim:
      'The variance of log ||J u||^2 matches the ReLU prediction sum_l v(n_l), v(n) = 5/n + O(1/n^2): linear in beta with slope 5 for wide layers',
    measures:
      'Var[log ||J u||^2] of every architecture (the sweep and the equal-beta ones) against the exact per-layer sum sum_l v(n_l).',
    tolerance:
      'Each within `standardErrors` = 4 jackknife standard errors over the networks; measured 4.17 +/- 0.28 against 4.20 at 10x16, 0.778 +/- 0.040 against 0.830 at 10x64 (fast).',
    counterfactuals: [
      {
        change: '`activation: "linear"` (no ReLU masks)',
        measured:
          '1.30 +/- 0.08 against 4.20 at 10x16; slope against beta 2.06 instead of about 5.',
      },
      {
        change: '`init: "orthogonal"` (not i.i.d. Gaussian)',
        measured: '2.78 +/- 0.19 against 4.20 at 10x16, 0.489 +/- 0.029 against 0.830 at 10x64.',
      },
    ],
  },
  'equal-beta-equal-variance': {
    claim:
      'Architectures with the same beta have about the same variance, whatever their depth: beta, not depth, sets the fluctuations',
    measures:
      'The largest over the smallest Var[log ||J u||^2] of the equal-beta architectures 2x16, 4x32 and 8x64 (beta = 1/8).',
    tolerance:
      'At most `maxEqualBetaRatio` = 2, the geometric midpoint between equal (1) and a law in depth alone (x4); measured 1.34 (fast).',
    counterfactuals: [
      {
        change: '`equalBeta: 2x32, 4x32, 8x32` (one width, so beta grows with depth)',
        measured: 'ratio 4.18.',
      },
    ],
  },
});

const fmt = (x: number) => formatNumber(x);
const labelOf = (a: Architecture) => `${a.depth}x${a.width}`;

/** Var[log ||J u||^2] of one architecture's random networks, and the theory's value for it. */
async function measureArchitecture(
  s: WidthFluctuationSettings,
  group: 'sweep' | 'equal beta',
  arch: Architecture,
  signal?: AbortSignal,
) {
  const label = labelOf(arch);
  const widths = new Array<number>(arch.depth).fill(arch.width);
  const stream = `width-fluctuations/${group}/${label}`;
  const { byNetwork, zeros } = await logTangentNorms(widths, s, stream, signal);
  const theory = logGainVariance(widths, 'relu');
  return {
    label,
    group,
    arch,
    beta: beta(widths),
    theory,
    result: clusteredVariance(byNetwork),
    zeros,
  };
}

export type Measured = Awaited<ReturnType<typeof measureArchitecture>>;

/**
 * Every architecture (host numerics: random networks at initialisation), and how the checks
 * and figures group them: the sweep by growing beta, the equal-beta ones, and the sweep's
 * least-squares slope against beta, through the origin.
 */
export async function measure(s: WidthFluctuationSettings, ctx: JudgeContext) {
  const architectures = [
    ...s.widths.map((width) => ({ group: 'sweep' as const, arch: { depth: s.depth, width } })),
    ...s.equalBeta.map((arch) => ({ group: 'equal beta' as const, arch })),
  ];
  const all: Measured[] = [];
  for (const [i, { group, arch }] of architectures.entries()) {
    ctx.progress(`${s.networks} random ${labelOf(arch)} networks`, i / architectures.length);
    all.push(await measureArchitecture(s, group, arch, ctx.signal));
  }
  const sweep = all.filter((m) => m.group === 'sweep').sort((a, b) => a.beta - b.beta);
  const slope =
    sweep.reduce((a, m) => a + m.beta * m.result.variance, 0) /
    sweep.reduce((a, m) => a + m.beta ** 2, 0);
  return { all, sweep, equal: all.filter((m) => m.group === 'equal beta'), slope };
}

export type Measurements = Awaited<ReturnType<typeof measure>>;

export function checks(s: WidthFluctuationSettings, measurements: Measurements): CheckResult[] {
  const { all: measured, sweep, equal, slope } = measurements;
  const varianceOf = (ms: readonly Measured[]) =>
    Object.fromEntries(ms.map((m) => [`var${m.label}`, m.result.variance]));

  // 1. Growth with beta along the sweep.
  const variances = sweep.map((m) => m.result.variance);
  const increasing = variances.every((v, i) => i === 0 || v > (variances[i - 1] as number));
  const growth = (variances[variances.length - 1] as number) / (variances[0] as number);
  const betaRatio = (sweep[sweep.length - 1] as Measured).beta / (sweep[0] as Measured).beta;

  // 2. Every architecture against the exact ReLU prediction.
  const againstTheory = measured.map((m) => {
    const tolerance = s.standardErrors * m.result.standardError;
    return { m, ok: Math.abs(m.result.variance - m.theory) <= tolerance };
  });

  // 3. Equal beta, different depths.
  const spanOf = (xs: number[]) => Math.max(...xs) / Math.min(...xs);
  const ratio = spanOf(equal.map((m) => m.result.variance));
  const depthRatio = spanOf(equal.map((m) => m.arch.depth));

  return [
    judged(declared, 'narrower-fluctuates-more', {
      pass: increasing && growth >= s.minGrowth,
      measured: `init ${initLabel(s.init)}, Var[log ||J u||^2] at depth ${s.depth}: ${sweep.map((m) => `width ${m.arch.width} (beta ${fmt(m.beta)}): ${fmt(m.result.variance)}`).join(', ')}; ${increasing ? 'increasing' : 'NOT increasing'} in beta, x${fmt(growth)} from the widest to the narrowest`,
      expected: `increasing in beta and at least x${s.minGrowth} over the sweep (beta spans x${fmt(betaRatio)}; Hanin: Var ~ 5 beta)`,
      values: { growth, betaRatio, ...varianceOf(sweep) },
    }),
    judged(declared, 'matches-relu-theory', {
      pass: againstTheory.every((j) => j.ok),
      measured: `${againstTheory.map(({ m, ok }) => `${m.label}: ${fmt(m.result.variance)} +/- ${fmt(m.result.standardError)}${ok ? '' : ' (off)'}`).join(', ')}; least-squares slope against beta ${fmt(slope)}`,
      expected: `sum_l v(n_l) (5/n per layer as n grows): ${measured.map((m) => `${m.label}: ${fmt(m.theory)}`).join(', ')}, each within ${s.standardErrors} jackknife standard errors (over networks)`,
      values: {
        slope,
        ...Object.fromEntries(
          measured.flatMap((m) => [
            [`var${m.label}`, m.result.variance],
            [`theory${m.label}`, m.theory],
          ]),
        ),
      },
    }),
    judged(declared, 'equal-beta-equal-variance', {
      pass: ratio <= s.maxEqualBetaRatio,
      measured: `${equal.map((m) => `${m.label} (beta ${fmt(m.beta)}): ${fmt(m.result.variance)}`).join(', ')}: largest/smallest ${fmt(ratio)} while depth varies x${fmt(depthRatio)}`,
      expected: `largest/smallest <= ${s.maxEqualBetaRatio} (theory: ${fmt(spanOf(equal.map((m) => m.theory)))}; a law in depth alone would give x${fmt(depthRatio)})`,
      values: { ratio, depthRatio, ...varianceOf(equal) },
    }),
  ];
}
