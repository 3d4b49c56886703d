import type { ExperimentSpecInput, RecurrentSpec } from '@gradlab/core';
import type {
  CheckResult,
  FigurePoint,
  Study,
  StudyContext,
  StudyFigure,
  StudyTable,
  TrainedRun,
} from '../../study.js';
import { type Explosion, measureExplosion } from './explosion.js';
import {
  compareWithPowerLaw,
  type PowerLawPoint,
  worstRelativeError,
} from './gradient-through-time.js';

export interface PascanuClippingSettings {
  /** One pair of runs, without and with clipping, per seed. */
  readonly seeds: readonly number[];
  /** Sequence length of the adding problem the tanh RNN trains on. */
  readonly length: number;
  readonly hiddenSize: number;
  readonly steps: number;
  readonly batchSize: number;
  /** Plain SGD learning rate, the same in both arms. */
  readonly lr: number;
  /** Gain of the orthogonal recurrent kernel: above 1 the RNN starts in the exploding regime. */
  readonly recurrentGain: number;
  /** Global-norm threshold of the clipped arm. */
  readonly maxNorm: number;
  /** Whether the clipped arm clips (false only to show that its checks then fail). */
  readonly clipping: boolean;
  /** Sequence length T of the linear RNN whose gradient through time is compared with rho^(T-k). */
  readonly linearLength: number;
  readonly linearHiddenSize: number;
  /** Spectral radii of the linear RNN's recurrent kernel: below and above 1. */
  readonly rhos: readonly number[];
  /** The linear RNN's recurrent kernel: rho x orthogonal, or Gaussian with spectral radius ~rho. */
  readonly linearRecurrent: 'orthogonal' | 'gaussian';
}

/** A loss or gradient norm this many times its first value counts as a blow-up. */
const BLOW_UP_FACTOR = 10;
/** Float32 slack on the clipped norm: the rescale and the norm are both rounded. */
const BOUND_TOLERANCE = 1e-5;
/** float32 over a few dozen products of an orthogonal matrix: errors near 1e-6 are expected. */
const POWER_LAW_TOLERANCE = 1e-4;
/** The clipped run must end at most at this fraction of its first loss. */
const TRAINED_FRACTION = 0.5;

/** The checks, declared ahead of running and reported with the same id and claim. */
const CLAIMS = {
  explodes: {
    id: 'explodes-without-clipping',
    claim:
      'Without clipping, the gradient norm and the loss of the tanh RNN blow up (the exploding-gradient problem).',
  },
  bounded: {
    id: 'clip-bounds-every-update',
    claim:
      'With global-norm clipping, no update uses a gradient whose norm exceeds the threshold maxNorm, though the raw gradient does.',
  },
  trains: {
    id: 'clipped-run-trains',
    claim:
      'With clipping the loss stays finite and ends well below where it started, and below the unclipped run.',
  },
  powerLaw: {
    id: 'gradient-through-time-is-rho-power',
    claim:
      'For a linear RNN with W = rho Q (Q orthogonal) and the loss on the last step, ||dL/dh_k|| / ||dL/dh_T|| = rho^(T-k) at every k.',
  },
} as const;

const fmt = (x: number | null, digits = 3): string =>
  x === null || Number.isNaN(x)
    ? 'NaN'
    : Number.isFinite(x)
      ? Number(x.toPrecision(digits)).toString()
      : 'unbounded (NaN/Inf)';
const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function rnnSpec(s: PascanuClippingSettings, seed: number, clip: boolean): ExperimentSpecInput {
  return {
    gradlab: 1,
    name: `pascanu-tanh-rnn-${clip ? 'clipped' : 'unclipped'}-seed${seed}`,
    seed,
    data: { kind: 'adding', length: s.length, samples: 2048 },
    model: {
      kind: 'rnn',
      hiddenSize: s.hiddenSize,
      activation: 'tanh',
      recurrentInit: { kind: 'orthogonal', gain: s.recurrentGain },
    },
    training: {
      steps: s.steps,
      batchSize: s.batchSize,
      optimizer: { kind: 'sgd', lr: s.lr },
      clip: clip ? { kind: 'global-norm', maxNorm: s.maxNorm } : null,
    },
    // Only the gradient norms (every step) are needed; full diagnostics on the first and last.
    diagnostics: { every: s.steps },
  };
}

function linearSpec(s: PascanuClippingSettings, rho: number): ExperimentSpecInput {
  const recurrentInit: RecurrentSpec['recurrentInit'] =
    s.linearRecurrent === 'orthogonal'
      ? { kind: 'orthogonal', gain: rho }
      : // Circular law: an n x n matrix of N(0, rho^2 / n) entries has spectral radius ~rho.
        { kind: 'normal', std: rho / Math.sqrt(s.linearHiddenSize) };
  return {
    gradlab: 1,
    name: `pascanu-linear-rnn-rho${rho}`,
    seed: 0,
    data: { kind: 'adding', length: s.linearLength, samples: 256 },
    model: { kind: 'rnn', hiddenSize: s.linearHiddenSize, activation: 'linear', recurrentInit },
    // One step: its full diagnostics are measured before the update, on W = rho Q itself.
    training: { steps: 1, batchSize: 32, optimizer: { kind: 'sgd', lr: 0.01 } },
  };
}

/** The norm of the gradient each step's update applied: after clipping when the run clips. */
const appliedNorm = (run: TrainedRun, i: number): number => {
  const d = run.steps[i];
  if (!d) return Number.NaN;
  return d.telemetry['clip.postNorm'] ?? d.globalGradNorm;
};

interface Pair {
  readonly seed: number;
  readonly unclipped: TrainedRun;
  readonly clipped: TrainedRun;
  readonly unclippedExplosion: Explosion;
  readonly clippedExplosion: Explosion;
}

function explosionOf(run: TrainedRun): Explosion {
  return measureExplosion(
    run.losses,
    run.steps.map((d) => d.globalGradNorm),
    BLOW_UP_FACTOR,
  );
}

function explodesCheck(pairs: readonly Pair[]): CheckResult {
  const pass =
    pairs.length > 0 &&
    pairs.every(
      (p) =>
        p.unclippedExplosion.lossGrowth > BLOW_UP_FACTOR &&
        p.unclippedExplosion.gradGrowth > BLOW_UP_FACTOR,
    );
  return {
    ...CLAIMS.explodes,
    pass,
    measured: pairs
      .map(
        (p) =>
          `seed ${p.seed}: loss growth ${fmt(p.unclippedExplosion.lossGrowth)} (first blow-up at step ${p.unclippedExplosion.blowUpStep ?? 'none'}), gradient-norm growth ${fmt(p.unclippedExplosion.gradGrowth)}`,
      )
      .join('; '),
    expected: `loss and gradient norm each exceed ${BLOW_UP_FACTOR}x their step-1 values (or become NaN/Inf) on every seed`,
    values: Object.fromEntries(
      pairs.flatMap((p) => [
        [`seed${p.seed}.lossGrowth`, finiteOrNull(p.unclippedExplosion.lossGrowth)],
        [`seed${p.seed}.gradGrowth`, finiteOrNull(p.unclippedExplosion.gradGrowth)],
        [`seed${p.seed}.peakGradNorm`, p.unclippedExplosion.peakGradNorm],
      ]),
    ),
  };
}

function boundCheck(pairs: readonly Pair[], maxNorm: number): CheckResult {
  const bound = maxNorm * (1 + BOUND_TOLERANCE);
  const per = pairs.map((p) => {
    const applied = p.clipped.steps.map((_, i) => appliedNorm(p.clipped, i));
    const largestApplied = applied.reduce(
      (m, v) => (Number.isFinite(v) ? Math.max(m, v) : Number.POSITIVE_INFINITY),
      0,
    );
    const pre = p.clipped.steps.map((d) => d.globalGradNorm);
    const engaged = pre.filter((v) => !(v <= maxNorm)).length;
    return {
      seed: p.seed,
      largestApplied,
      largestPre: p.clippedExplosion.peakGradNorm,
      engaged,
      steps: pre.length,
    };
  });
  // A bound never challenged proves nothing: some step must have exceeded maxNorm before clipping.
  const pass = per.length > 0 && per.every((r) => r.largestApplied <= bound && r.engaged > 0);
  return {
    ...CLAIMS.bounded,
    pass,
    measured: per
      .map(
        (r) =>
          `seed ${r.seed}: largest applied norm ${fmt(r.largestApplied, 7)}, raw norm above ${maxNorm} on ${r.engaged}/${r.steps} steps (peak ${fmt(r.largestPre)})`,
      )
      .join('; '),
    expected: `applied norm <= ${maxNorm} x (1 + ${BOUND_TOLERANCE}) on every step, and the raw norm above ${maxNorm} on at least one step`,
    values: Object.fromEntries(
      per.flatMap((r) => [
        [`seed${r.seed}.largestAppliedNorm`, finiteOrNull(r.largestApplied)],
        [`seed${r.seed}.stepsClipped`, r.engaged],
        [`seed${r.seed}.peakRawNorm`, r.largestPre],
      ]),
    ),
  };
}

const evaluationLoss = (run: TrainedRun): number =>
  run.result.evaluation?.loss ?? Number.POSITIVE_INFINITY;

function trainsCheck(pairs: readonly Pair[]): CheckResult {
  const per = pairs.map((p) => {
    const first = p.clipped.losses[0] ?? Number.NaN;
    const clipped = evaluationLoss(p.clipped);
    const unclipped = evaluationLoss(p.unclipped);
    const finite = p.clipped.losses.every(Number.isFinite);
    // NaN compares false: a diverged unclipped run loses to any finite clipped one.
    const beats = Number.isFinite(clipped) && !(unclipped <= clipped);
    return { seed: p.seed, first, clipped, unclipped, finite, beats };
  });
  const pass =
    per.length > 0 &&
    per.every((r) => r.finite && r.clipped < TRAINED_FRACTION * r.first && r.beats);
  return {
    ...CLAIMS.trains,
    pass,
    measured: per
      .map(
        (r) =>
          `seed ${r.seed}: ${r.finite ? 'all losses finite' : 'a loss was NaN/Inf'}, first loss ${fmt(r.first)}, final MSE ${fmt(r.clipped)} clipped vs ${fmt(r.unclipped)} unclipped`,
      )
      .join('; '),
    expected: `every loss finite; final evaluation MSE < ${TRAINED_FRACTION} x the first loss and below the unclipped run's (NaN counts as worse) on every seed`,
    values: Object.fromEntries(
      per.flatMap((r) => [
        [`seed${r.seed}.firstLoss`, finiteOrNull(r.first)],
        [`seed${r.seed}.clippedFinalMse`, finiteOrNull(r.clipped)],
        [`seed${r.seed}.unclippedFinalMse`, finiteOrNull(r.unclipped)],
      ]),
    ),
  };
}

interface PowerLaw {
  readonly rho: number;
  readonly points: readonly PowerLawPoint[];
  readonly worst: number;
}

function powerLawCheck(laws: readonly PowerLaw[], s: PascanuClippingSettings): CheckResult {
  const T = s.linearLength;
  const pass = laws.length > 0 && laws.every((l) => l.worst <= POWER_LAW_TOLERANCE);
  return {
    ...CLAIMS.powerLaw,
    pass,
    measured: laws
      .map((l) => {
        const first = l.points[0];
        return `rho ${l.rho}: ratio at k=1 ${fmt(first?.measured ?? Number.NaN)} (rho^${T - 1} = ${fmt(first?.predicted ?? Number.NaN)}), worst relative error over k=1..${T} ${fmt(l.worst)}`;
      })
      .join('; '),
    expected: `rho^(T-k) within ${POWER_LAW_TOLERANCE} relative at every k = 1..${T}, for rho = ${s.rhos.join(' and ')}`,
    values: Object.fromEntries(
      laws.flatMap((l) => [
        [`rho${l.rho}.worstRelativeError`, finiteOrNull(l.worst)],
        [`rho${l.rho}.ratioAtFirstStep`, finiteOrNull(l.points[0]?.measured ?? Number.NaN)],
      ]),
    ),
  };
}

/** Log axes cannot show zero, NaN or Inf: those points are left out (the captions say so). */
const plottable = (y: number): boolean => Number.isFinite(y) && y > 0;

function figures(pairs: readonly Pair[], laws: readonly PowerLaw[], s: PascanuClippingSettings) {
  const loss: FigurePoint[] = pairs.flatMap((p) =>
    (
      [
        ['without clipping', p.unclipped],
        ['with clipping', p.clipped],
      ] as const
    ).flatMap(([arm, run]) =>
      run.losses.flatMap((y, i) =>
        plottable(y) ? [{ series: `${arm}, seed ${p.seed}`, x: i + 1, y }] : [],
      ),
    ),
  );
  const first = pairs[0];
  const norms: FigurePoint[] = first
    ? [
        ...first.unclipped.steps.map((d) => ({
          series: 'without clipping',
          x: d.step,
          y: d.globalGradNorm,
        })),
        ...first.clipped.steps.map((d) => ({
          series: 'with clipping: raw gradient',
          x: d.step,
          y: d.globalGradNorm,
        })),
        ...first.clipped.steps.map((d, i) => ({
          series: 'with clipping: applied',
          x: d.step,
          y: appliedNorm(first.clipped, i),
        })),
      ].filter((p) => plottable(p.y))
    : [];
  const through: FigurePoint[] = laws.flatMap((l) =>
    l.points.flatMap((p) => [
      ...(plottable(p.measured)
        ? [{ series: `measured, rho = ${l.rho}`, x: p.k, y: p.measured }]
        : []),
      { series: `rho^(T-k), rho = ${l.rho}`, x: p.k, y: p.predicted },
    ]),
  );
  const out: StudyFigure[] = [
    {
      id: 'loss-curves',
      title: 'Training loss of the tanh RNN, with and without global-norm clipping',
      kind: 'line',
      x: { title: 'step' },
      y: { title: 'MSE loss', log: true },
      points: loss,
      caption:
        'Without clipping the loss overflows within a few steps (NaN/Inf losses are not drawn); with clipping it stays finite and falls.',
    },
    {
      id: 'gradient-norm',
      title: `Global gradient norm per step (seed ${first?.seed ?? '-'})`,
      kind: 'line',
      x: { title: 'step' },
      y: { title: '||g||', log: true },
      points: norms,
      caption: `The raw gradient spikes in both runs; clipping caps the applied norm at ${s.maxNorm}. Non-finite norms are not drawn.`,
    },
    {
      id: 'gradient-through-time',
      title: `Linear RNN: ||dL/dh_k|| / ||dL/dh_T|| against rho^(T-k), T = ${s.linearLength}`,
      kind: 'line',
      x: { title: 'time step k' },
      y: { title: '||dL/dh_k|| / ||dL/dh_T||', log: true },
      points: through,
      caption:
        'The measured ratio lies on the power law: it vanishes geometrically for rho < 1 and explodes for rho > 1.',
    },
  ];
  return out;
}

function tables(pairs: readonly Pair[], laws: readonly PowerLaw[], s: PascanuClippingSettings) {
  const runs: StudyTable = {
    id: 'runs',
    title: 'The tanh RNN runs',
    columns: [
      'seed',
      'arm',
      'first loss',
      'final MSE',
      'loss growth',
      'peak raw gradient norm',
      'steps clipped',
    ],
    rows: pairs.flatMap((p) =>
      (
        [
          ['without clipping', p.unclipped, p.unclippedExplosion],
          ['with clipping', p.clipped, p.clippedExplosion],
        ] as const
      ).map(([arm, run, e]) => [
        p.seed,
        arm,
        finiteOrNull(run.losses[0] ?? Number.NaN),
        finiteOrNull(evaluationLoss(run)),
        finiteOrNull(e.lossGrowth),
        e.peakGradNorm,
        run.steps.filter((d) => d.telemetry['clip.clipped'] === 1).length,
      ]),
    ),
  };
  const law: StudyTable = {
    id: 'gradient-through-time',
    title: `Linear RNN, T = ${s.linearLength}, recurrent kernel ${s.linearRecurrent}`,
    columns: ['rho', 'measured ratio at k = 1', 'rho^(T-1)', 'worst relative error'],
    rows: laws.map((l) => [
      l.rho,
      finiteOrNull(l.points[0]?.measured ?? Number.NaN),
      l.points[0]?.predicted ?? null,
      finiteOrNull(l.worst),
    ]),
  };
  return [runs, law];
}

async function run(ctx: StudyContext, s: PascanuClippingSettings) {
  const units = 2 * s.seeds.length + s.rhos.length;
  let done = 0;
  const pairs: Pair[] = [];
  for (const seed of s.seeds) {
    ctx.signal?.throwIfAborted();
    ctx.progress(`tanh RNN without clipping, seed ${seed}`, done / units);
    const unclipped = await ctx.train(`unclipped-seed${seed}`, rnnSpec(s, seed, false));
    done++;
    ctx.signal?.throwIfAborted();
    ctx.progress(`tanh RNN with clipping, seed ${seed}`, done / units);
    const clipped = await ctx.train(`clipped-seed${seed}`, rnnSpec(s, seed, s.clipping));
    done++;
    pairs.push({
      seed,
      unclipped,
      clipped,
      unclippedExplosion: explosionOf(unclipped),
      clippedExplosion: explosionOf(clipped),
    });
  }
  const laws: PowerLaw[] = [];
  for (const rho of s.rhos) {
    ctx.signal?.throwIfAborted();
    ctx.progress(`linear RNN, rho ${rho}`, done / units);
    const r = await ctx.train(`linear-rho${rho}`, linearSpec(s, rho));
    done++;
    const points = compareWithPowerLaw(r.steps[0]?.signal?.norms ?? [], rho);
    laws.push({ rho, points, worst: worstRelativeError(points) });
  }
  ctx.progress('done', 1);
  return {
    checks: [
      explodesCheck(pairs),
      boundCheck(pairs, s.maxNorm),
      trainsCheck(pairs),
      powerLawCheck(laws, s),
    ],
    figures: figures(pairs, laws, s),
    tables: tables(pairs, laws, s),
  };
}

const full: PascanuClippingSettings = {
  seeds: [0, 1, 2],
  length: 30,
  hiddenSize: 32,
  steps: 300,
  batchSize: 32,
  lr: 0.1,
  recurrentGain: 1.2,
  maxNorm: 1,
  clipping: true,
  linearLength: 50,
  linearHiddenSize: 32,
  rhos: [0.9, 1.1],
  linearRecurrent: 'orthogonal',
};

export const pascanuClippingStudy: Study<PascanuClippingSettings> = {
  name: 'pascanu-clipping',
  title: 'Exploding gradients in RNNs, and global-norm clipping',
  reference:
    'Pascanu, Mikolov & Bengio (2013), On the difficulty of training recurrent neural networks, ICML.',
  claim:
    'A recurrent net whose Jacobian through time grows has exploding gradients that wreck plain SGD; rescaling the gradient to a maximal global norm bounds every update and lets it train; for a linear RNN with W = rho Q the gradient through time is exactly rho^(T-k).',
  checks: Object.values(CLAIMS),
  settings: {
    full,
    fast: { ...full, seeds: [0], steps: 100, linearLength: 30 },
  },
  scaleNote:
    'Pascanu et al. trained on sequences of 50 to 200 steps for millions of updates; here a 32-unit tanh RNN on the adding problem of length 30 trains for 300 SGD steps (100 in the fast run) at learning rate 0.1, from an orthogonal recurrent kernel of gain 1.2, three seeds (one in the fast run). The explosion needs neither long sequences nor long training: at this step size the unclipped run overflows within a few steps, so a short run shows it, and the clipped run has left its starting loss far behind within 100 steps (it does not solve the task at this budget: its MSE ends near the predict-the-mean 1/6). The rho^(T-k) law is exact at any size; T = 50 (30 fast) spans 0.9^49 ~ 6e-3 to 1.1^49 ~ 1e2, measured before the first update.',
  usesBackend: true,
  run,
};
