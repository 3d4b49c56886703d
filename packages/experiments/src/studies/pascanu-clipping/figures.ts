import type { FigurePoint, StudyFigure, StudyTable } from '../../study.js';
import { finiteOrNull } from '../../study-kit/check-values.js';
import {
  gradientNormPoints,
  logLineFigure,
  lossPoints,
  plotted,
} from '../../study-kit/log-plots.js';
import { tableOf } from '../../study-kit/table.js';
import { appliedNorm, evaluationLoss, type PowerLaw, type SeedPair } from './checks.js';
import { ARM_TITLES, ARMS, type PascanuClippingSettings } from './settings.js';

export function figures(
  s: PascanuClippingSettings,
  pairs: readonly SeedPair[],
  laws: readonly PowerLaw[],
): StudyFigure[] {
  const loss = pairs.flatMap((p) =>
    ARMS.flatMap((arm) => lossPoints(`${ARM_TITLES[arm]}, seed ${p.seed}`, p[arm].run.losses)),
  );
  const first = pairs[0];
  const norms: FigurePoint[] = first
    ? [
        ...gradientNormPoints('without clipping', first.unclipped.run),
        ...gradientNormPoints('with clipping: raw gradient', first.clipped.run),
        ...first.clipped.run.steps.flatMap((d) =>
          plotted('with clipping: applied', d.step, appliedNorm(d)),
        ),
      ]
    : [];
  const through: FigurePoint[] = laws.flatMap((l) =>
    l.points.flatMap((p) => [
      ...plotted(`measured, rho = ${l.rho}`, p.k, p.measured),
      { series: `rho^(T-k), rho = ${l.rho}`, x: p.k, y: p.predicted },
    ]),
  );
  return [
    logLineFigure({
      id: 'loss-curves',
      title: 'Training loss of the tanh RNN, with and without global-norm clipping',
      y: 'MSE loss',
      points: loss,
      caption:
        'Without clipping the loss overflows within a few steps (NaN/Inf losses are not drawn); with clipping it stays finite and falls.',
    }),
    logLineFigure({
      id: 'gradient-norm',
      title: `Global gradient norm per step (seed ${first?.seed ?? '-'})`,
      y: '||g||',
      points: norms,
      caption: `The raw gradient spikes in both runs; clipping caps the applied norm at ${s.maxNorm}. Non-finite norms are not drawn.`,
    }),
    logLineFigure({
      id: 'gradient-through-time',
      title: `Linear RNN: ||dL/dh_k|| / ||dL/dh_T|| against rho^(T-k), T = ${s.linearLength}`,
      x: 'time step k',
      y: '||dL/dh_k|| / ||dL/dh_T||',
      points: through,
      caption:
        'The measured ratio lies on the power law: it vanishes geometrically for rho < 1 and explodes for rho > 1.',
    }),
  ];
}

export function tables(
  s: PascanuClippingSettings,
  pairs: readonly SeedPair[],
  laws: readonly PowerLaw[],
): StudyTable[] {
  const rows = pairs.flatMap((p) => ARMS.map((arm) => ({ seed: p.seed, arm, ...p[arm] })));
  return [
    tableOf('runs', 'The tanh RNN runs', rows, {
      seed: (r) => r.seed,
      arm: (r) => ARM_TITLES[r.arm],
      'first loss': (r) => finiteOrNull(r.run.losses[0]),
      'final MSE': (r) => finiteOrNull(evaluationLoss(r.run)),
      'loss growth': (r) => finiteOrNull(r.explosion.lossGrowth),
      'peak raw gradient norm': (r) => r.explosion.peakGradNorm,
      'steps clipped': (r) => r.run.steps.filter((d) => d.telemetry['clip.clipped'] === 1).length,
    }),
    tableOf(
      'gradient-through-time',
      `Linear RNN, T = ${s.linearLength}, recurrent kernel ${s.linearRecurrent}`,
      laws,
      {
        rho: (l) => l.rho,
        'measured ratio at k = 1': (l) => finiteOrNull(l.points[0]?.measured),
        'rho^(T-1)': (l) => l.points[0]?.predicted ?? null,
        'worst relative error': (l) => finiteOrNull(l.worst),
      },
    ),
  ];
}
