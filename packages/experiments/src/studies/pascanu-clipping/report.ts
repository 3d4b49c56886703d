import type { FigurePoint, StudyFigure, StudyTable } from '../../study.js';
import { appliedNorm, evaluationLoss, finiteOrNull, type Pair, type PowerLaw } from './checks.js';
import type { PascanuClippingSettings } from './settings.js';

/** Log axes cannot show zero, NaN or Inf: those points are left out (the captions say so). */
const plottable = (y: number): boolean => Number.isFinite(y) && y > 0;

export function figures(
  pairs: readonly Pair[],
  laws: readonly PowerLaw[],
  s: PascanuClippingSettings,
) {
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

export function tables(
  pairs: readonly Pair[],
  laws: readonly PowerLaw[],
  s: PascanuClippingSettings,
) {
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
