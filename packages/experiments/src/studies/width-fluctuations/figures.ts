import { formatNumber } from '@gradlab/core';
import type { FigurePoint, StudyFigure, StudyTable } from '../../study.js';
import { initLabel } from '../../study-kit/init-setting.js';
import { tableOf } from '../../study-kit/table.js';
import type { Measured, Measurements } from './checks.js';
import type { WidthFluctuationSettings } from './settings.js';

export function figures(s: WidthFluctuationSettings, measured: Measurements): StudyFigure[] {
  const { all, sweep, equal, slope } = measured;
  const variance = (series: string) => (m: Measured) => ({
    series,
    x: m.beta,
    y: m.result.variance,
  });
  const points: FigurePoint[] = [
    ...sweep.map(variance(`depth ${s.depth}, measured`)),
    ...equal.map(variance('equal beta, measured')),
    ...[...all]
      .sort((a, b) => a.beta - b.beta)
      .map((m) => ({ series: 'theory sum v(n_l)', x: m.beta, y: m.theory })),
    ...[0, ...sweep.map((m) => m.beta)].map((b) => ({
      series: `fitted ${formatNumber(slope)} beta`,
      x: b,
      y: slope * b,
    })),
  ];
  return [
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
  ];
}

export function tables(s: WidthFluctuationSettings, { all }: Measurements): StudyTable[] {
  const round = (x: number, digits = 4) => Number(x.toPrecision(digits));
  return [
    tableOf(
      'architectures',
      `Var[log ||J u||^2] per architecture (${s.networks} networks x ${s.inputsPerNetwork} inputs, ${s.activation}, init ${initLabel(s.init)})`,
      all,
      {
        architecture: (m) => m.label,
        beta: (m) => round(m.beta),
        measured: (m) => round(m.result.variance),
        'jackknife SE': (m) => round(m.result.standardError, 2),
        theory: (m) => round(m.theory),
        '5 beta': (m) => round(5 * m.beta),
        samples: (m) => m.result.samples,
        'zero tangents': (m) => m.zeros,
      },
    ),
  ];
}
