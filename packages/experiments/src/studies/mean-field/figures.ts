import {
  type FigurePoint,
  relativeDifference,
  type StudyFigure,
  type StudyTable,
} from '../../study.js';
import { formatNumber } from '../../study-kit/format.js';
import { tableOf } from '../../study-kit/table.js';
import { accuracyHeatmap, sw2Label, trainableDepthText } from '../../study-kit/tanh-grid.js';
import { factor, type Measurements } from './checks.js';
import type { MeanFieldSettings } from './settings.js';

export function figures(s: MeanFieldSettings, { chi, cells }: Measurements): StudyFigure[] {
  // Per hidden layer l: measured, and the theory's chi_1^(L-l) with L the top hidden layer.
  const profile: FigurePoint[] = chi.flatMap((m) =>
    m.profile.flatMap((y, l) => [
      { series: `${m.point.name} (sw2 ${formatNumber(m.sw2)}), measured`, x: l + 1, y },
      {
        series: `${m.point.name}, chi_1^(L-l) = ${factor(m.theory.chi1)}^(L-l)`,
        x: l + 1,
        y: m.theory.chi1 ** (m.profile.length - 1 - l),
      },
    ]),
  );
  const lines = [...new Map(cells.map((c) => [c.sw2Value, c])).values()]
    .map((c) => `${sw2Label(c.sw2, c.sw2Value)}: ${trainableDepthText(c.trainableDepth)}`)
    .join(', ');
  return [
    {
      id: 'backward-signal',
      title: `||dL/dh||^2 per layer of random tanh networks (width ${s.chiWidth}, sb2 = ${s.sb2})`,
      kind: 'line',
      x: { title: 'hidden layer l (input side first)' },
      y: { title: '||dL/dh^l||^2 / ||dL/dh^L||^2', log: true },
      points: profile,
      caption: `Measured at initialisation (geometric mean over ${s.seeds.length} seed(s)) against the theory's chi_1^(L-l), L the top hidden layer: the ordered phase fades towards the input, the chaotic one grows, the critical one stays level. The first ${s.skipLayers} layers, where the length is still settling to q*, are left out of the checks.`,
    },
    accuracyHeatmap(
      {
        id: 'trainability-grid',
        title: `Accuracy after ${s.gridSteps} steps: depth x sw2, tanh on MNIST, sb2 = ${s.sb2}`,
        caption: `The theory's trainable depth 6 xi_c per sw2: ${lines}. Cells with depth <= ${s.insideBelow} x 6 xi_c should train, cells with depth >= ${s.outsideAbove} x 6 xi_c should not; those in between are shown, not judged.`,
      },
      cells,
      (c) => c.zone,
    ),
  ];
}

export function tables(_s: MeanFieldSettings, { chi, cells }: Measurements): StudyTable[] {
  return [
    tableOf('chi', 'Per-layer factor of ||dL/dh||^2: measured against chi_1', chi, {
      point: (m) => m.point.name,
      sw2: (m) => m.sw2,
      'q*': (m) => m.theory.qStar,
      chi_1: (m) => m.theory.chi1,
      measured: (m) => m.chi,
      difference: (m) => relativeDifference(m.chi, m.theory.chi1),
      'theory phase': (m) => m.theory.phase,
    }),
    tableOf('grid', 'Trainability grid against the line 6 xi_c', cells, {
      sw2: (c) => sw2Label(c.sw2, c.sw2Value),
      depth: (c) => c.depth,
      '6 xi_c': (c) => (Number.isFinite(c.trainableDepth) ? c.trainableDepth : null),
      'depth / 6 xi_c': (c) => c.depth / c.trainableDepth,
      zone: (c) => c.zone,
      accuracy: (c) => c.accuracy,
      trained: (c) => (c.trained ? 'yes' : 'no'),
    }),
  ];
}
