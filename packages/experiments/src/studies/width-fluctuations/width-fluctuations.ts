import { formatNumber, GradlabError, type Initializer } from '@gradlab/core';
import type { CheckResult, FigurePoint, Study, StudyTable } from '../../study.js';
import { checkInitSetting, initLabel } from '../init-setting.js';
import { type ClusteredVariance, clusteredVariance } from './clustered-variance.js';
import { beta, logGainVariance, type TangentActivation } from './log-gain-theory.js';
import { logTangentNorms } from './tangent-norms.js';

/** A network of `depth` hidden layers, each `width` wide. */
export interface Architecture {
  readonly depth: number;
  readonly width: number;
}

export interface WidthFluctuationSettings {
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
  readonly networks: number;
  readonly inputsPerNetwork: number;
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

/**
 * The checks, with what each measures, its tolerance, and the settings that make it fail, with
 * what the fast run measured under them (width-fluctuations.test.ts runs each).
 */
const CHECKS = [
  {
    id: 'narrower-fluctuates-more',
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
  {
    id: 'matches-relu-theory',
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
  {
    id: 'equal-beta-equal-variance',
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
] as const;

function claimOf(id: (typeof CHECKS)[number]['id']): string {
  return CHECKS.find((c) => c.id === id)?.claim ?? id;
}

const positiveInteger = (x: unknown) => Number.isInteger(x) && (x as number) >= 1;

function checkSettings(s: WidthFluctuationSettings): void {
  const bad = (field: string, value: unknown, allowed: string) =>
    new GradlabError(
      'INVALID_ARGUMENT',
      `width-fluctuations setting ${field} is ${JSON.stringify(value)}; expected ${allowed}`,
    );
  for (const key of ['inputSize', 'depth', 'networks', 'inputsPerNetwork', 'chunk'] as const) {
    if (!positiveInteger(s[key])) throw bad(key, s[key], 'a positive integer');
  }
  if (s.networks < 2)
    throw bad('networks', s.networks, 'at least 2 (the error bar leaves one out)');
  if (!Array.isArray(s.widths) || s.widths.length < 2)
    throw bad('widths', s.widths, 'at least two widths');
  s.widths.forEach((w, i) => {
    if (!positiveInteger(w)) throw bad(`widths[${i}]`, w, 'a positive integer');
  });
  if (!Array.isArray(s.equalBeta) || s.equalBeta.length < 2) {
    throw bad('equalBeta', s.equalBeta, 'at least two architectures { depth, width }');
  }
  s.equalBeta.forEach((a, i) => {
    if (!positiveInteger(a.depth))
      throw bad(`equalBeta[${i}].depth`, a.depth, 'a positive integer');
    if (!positiveInteger(a.width))
      throw bad(`equalBeta[${i}].width`, a.width, 'a positive integer');
  });
  for (const key of ['minGrowth', 'standardErrors', 'maxEqualBetaRatio'] as const) {
    if (!(s[key] > 0)) throw bad(key, s[key], 'a number > 0');
  }
  if (s.activation !== 'relu' && s.activation !== 'linear') {
    throw bad('activation', s.activation, '"relu" or "linear"');
  }
  checkInitSetting('width-fluctuations', 'init', s.init);
}

interface Measured {
  readonly label: string;
  readonly group: 'sweep' | 'equal beta';
  readonly arch: Architecture;
  readonly beta: number;
  readonly theory: number;
  readonly result: ClusteredVariance;
  readonly zeros: number;
}

const fmt = (x: number) => formatNumber(x);
const labelOf = (a: Architecture) => `${a.depth}x${a.width}`;

export const widthFluctuationsStudy: Study<WidthFluctuationSettings> = {
  name: 'width-fluctuations',
  title: 'Width and gradient fluctuations in ReLU networks',
  reference:
    'Hanin (2018), Which neural net architectures give rise to exploding and vanishing gradients?, NeurIPS.',
  claim:
    'In a ReLU network with He initialisation the squared input-output gradient ||J(x) u||^2 fluctuates from network to network by a log-variance that grows linearly in beta = sum over layers of 1/width (about 5 beta), so narrow layers, not depth as such, make gradients erratic.',
  scaleNote:
    "Depth 10 at widths 16-128 (full; CI: 16-64) plus three architectures of equal beta = 1/8 (2x16, 4x32, 8x64), 300 random networks (CI 100) with 8 inputs each. Every kernel is drawn by gradlab's own \"he-normal\" initialiser, exactly as a spec's model.init draws it; the log-variance does not depend on the weights' scale, so what it judges of the initialiser is that the weights are independent Gaussians. The claim is about random networks at initialisation, so no training is needed; beta from 0.08 to 0.63 spans the range where the variance is clearly measurable and the 5/n law holds up to O(1/n^2) terms, which the exact per-layer formula includes. Several inputs share each network (cheaper than drawing weights per sample); the jackknife over networks keeps the error bars honest.",
  usesBackend: true,
  checks: CHECKS,
  settings: {
    full: {
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
    },
    fast: {
      inputSize: 32,
      init: 'he-normal',
      depth: 10,
      widths: [16, 32, 64],
      equalBeta: [
        { depth: 2, width: 16 },
        { depth: 4, width: 32 },
        { depth: 8, width: 64 },
      ],
      networks: 100,
      inputsPerNetwork: 8,
      chunk: 50,
      activation: 'relu',
      seed: 0,
      minGrowth: 2.5,
      standardErrors: 4,
      maxEqualBetaRatio: 2,
    },
  },
  run: async (ctx, s) => {
    checkSettings(s);
    const architectures = [
      ...s.widths.map((width) => ({ group: 'sweep' as const, arch: { depth: s.depth, width } })),
      ...s.equalBeta.map((arch) => ({ group: 'equal beta' as const, arch })),
    ];
    const measured: Measured[] = [];
    for (const [i, { group, arch }] of architectures.entries()) {
      ctx.progress(`${s.networks} random ${labelOf(arch)} networks`, i / architectures.length);
      const widths = new Array<number>(arch.depth).fill(arch.width);
      const { byNetwork, zeros } = await logTangentNorms(
        widths,
        s,
        `width-fluctuations/${group}/${labelOf(arch)}`,
        ctx.signal,
      );
      measured.push({
        label: labelOf(arch),
        group,
        arch,
        beta: beta(widths),
        theory: logGainVariance(widths, 'relu'),
        result: clusteredVariance(byNetwork),
        zeros,
      });
    }
    ctx.progress('done', 1);
    const sweep = measured.filter((m) => m.group === 'sweep').sort((a, b) => a.beta - b.beta);
    const equal = measured.filter((m) => m.group === 'equal beta');
    const checks: CheckResult[] = [];

    // 1. Growth with beta along the sweep.
    const variances = sweep.map((m) => m.result.variance);
    const increasing = variances.every((v, i) => i === 0 || v > (variances[i - 1] as number));
    const growth = (variances[variances.length - 1] as number) / (variances[0] as number);
    const betaRatio = (sweep[sweep.length - 1] as Measured).beta / (sweep[0] as Measured).beta;
    checks.push({
      id: 'narrower-fluctuates-more',
      claim: claimOf('narrower-fluctuates-more'),
      pass: increasing && growth >= s.minGrowth,
      measured: `init ${initLabel(s.init)}, Var[log ||J u||^2] at depth ${s.depth}: ${sweep.map((m) => `width ${m.arch.width} (beta ${fmt(m.beta)}): ${fmt(m.result.variance)}`).join(', ')}; ${increasing ? 'increasing' : 'NOT increasing'} in beta, x${fmt(growth)} from the widest to the narrowest`,
      expected: `increasing in beta and at least x${s.minGrowth} over the sweep (beta spans x${fmt(betaRatio)}; Hanin: Var ~ 5 beta)`,
      values: {
        growth,
        betaRatio,
        ...Object.fromEntries(sweep.map((m) => [`var${m.label}`, m.result.variance])),
      },
    });

    // 2. Every architecture against the exact ReLU prediction.
    const slope =
      sweep.reduce((a, m) => a + m.beta * m.result.variance, 0) /
      sweep.reduce((a, m) => a + m.beta ** 2, 0);
    const judged = measured.map((m) => {
      const tolerance = s.standardErrors * m.result.standardError;
      return { m, tolerance, ok: Math.abs(m.result.variance - m.theory) <= tolerance };
    });
    checks.push({
      id: 'matches-relu-theory',
      claim: claimOf('matches-relu-theory'),
      pass: judged.every((j) => j.ok),
      measured: `${judged.map((j) => `${j.m.label}: ${fmt(j.m.result.variance)} +/- ${fmt(j.m.result.standardError)}${j.ok ? '' : ' (off)'}`).join(', ')}; least-squares slope against beta ${fmt(slope)}`,
      expected: `sum_l v(n_l) (5/n per layer as n grows): ${judged.map((j) => `${j.m.label}: ${fmt(j.m.theory)}`).join(', ')}, each within ${s.standardErrors} jackknife standard errors (over networks)`,
      values: {
        slope,
        ...Object.fromEntries(
          measured.flatMap((m) => [
            [`var${m.label}`, m.result.variance],
            [`theory${m.label}`, m.theory],
          ]),
        ),
      },
    });

    // 3. Equal beta, different depths.
    const equalVariances = equal.map((m) => m.result.variance);
    const ratio = Math.max(...equalVariances) / Math.min(...equalVariances);
    const depthRatio =
      Math.max(...equal.map((m) => m.arch.depth)) / Math.min(...equal.map((m) => m.arch.depth));
    checks.push({
      id: 'equal-beta-equal-variance',
      claim: claimOf('equal-beta-equal-variance'),
      pass: ratio <= s.maxEqualBetaRatio,
      measured: `${equal.map((m) => `${m.label} (beta ${fmt(m.beta)}): ${fmt(m.result.variance)}`).join(', ')}: largest/smallest ${fmt(ratio)} while depth varies x${fmt(depthRatio)}`,
      expected: `largest/smallest <= ${s.maxEqualBetaRatio} (theory: ${fmt(Math.max(...equal.map((m) => m.theory)) / Math.min(...equal.map((m) => m.theory)))}; a law in depth alone would give x${fmt(depthRatio)})`,
      values: {
        ratio,
        depthRatio,
        ...Object.fromEntries(equal.map((m) => [`var${m.label}`, m.result.variance])),
      },
    });

    const points: FigurePoint[] = [
      ...sweep.map((m) => ({
        series: `depth ${s.depth}, measured`,
        x: m.beta,
        y: m.result.variance,
      })),
      ...equal.map((m) => ({ series: 'equal beta, measured', x: m.beta, y: m.result.variance })),
      ...measured
        .slice()
        .sort((a, b) => a.beta - b.beta)
        .map((m) => ({ series: 'theory sum v(n_l)', x: m.beta, y: m.theory })),
      ...[0, ...sweep.map((m) => m.beta)].map((b) => ({
        series: `fitted ${fmt(slope)} beta`,
        x: b,
        y: slope * b,
      })),
    ];
    const table: StudyTable = {
      id: 'architectures',
      title: `Var[log ||J u||^2] per architecture (${s.networks} networks x ${s.inputsPerNetwork} inputs, ${s.activation}, init ${initLabel(s.init)})`,
      columns: [
        'architecture',
        'beta',
        'measured',
        'jackknife SE',
        'theory',
        '5 beta',
        'samples',
        'zero tangents',
      ],
      rows: measured.map((m) => [
        m.label,
        Number(m.beta.toPrecision(4)),
        Number(m.result.variance.toPrecision(4)),
        Number(m.result.standardError.toPrecision(2)),
        Number(m.theory.toPrecision(4)),
        Number((5 * m.beta).toPrecision(4)),
        m.result.samples,
        m.zeros,
      ]),
    };
    return {
      checks,
      figures: [
        {
          id: 'variance-vs-beta',
          title: 'Fluctuation of the squared gradient against beta = sum 1/width',
          kind: 'line',
          x: { title: 'beta = sum over layers of 1 / width' },
          y: { title: 'Var[log ||J(x) u||^2]' },
          points,
          caption:
            'Narrower layers (larger beta) make the gradient fluctuate more, linearly in beta; the equal-beta architectures (depths 2 to 8) sit on one point. The theory line is the exact per-layer sum, 5 beta for wide layers.',
        },
      ],
      tables: [table],
    };
  },
};
