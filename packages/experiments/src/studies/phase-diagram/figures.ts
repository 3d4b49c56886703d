import type { StudyFigure, StudyTable } from '../../study.js';
import { formatPercent } from '../../study-kit/format.js';
import { tableOf } from '../../study-kit/table.js';
import { accuracyHeatmap, trainableDepthText } from '../../study-kit/tanh-grid.js';
import type { Measurements } from './checks.js';
import { sideOf } from './deepest-trained.js';
import type { PhaseDiagramSettings } from './settings.js';

export function figures(s: PhaseDiagramSettings, { cells, columns }: Measurements): StudyFigure[] {
  const { grid } = s;
  const deepest = Math.max(...grid.depths);
  const lines = columns.map((c) => `${c.label}: ${trainableDepthText(c.trainableDepth)}`);
  return [
    accuracyHeatmap(
      {
        id: 'phase-diagram',
        title: `Accuracy after ${grid.steps} SGD steps: depth x sw2, tanh on MNIST, sb2 = ${grid.sb2}`,
        caption: `Mean-field theory's trainable depth 6 xi_c per sw2: ${lines.join(', ')}. The trainable region should reach deepest at the critical sw2.`,
      },
      cells,
      (c) => sideOf(c.chi1, s.nearBand, s.farBand),
    ),
    {
      id: 'deepest-trained',
      title: 'Deepest trained depth per sw2, against 6 xi_c',
      kind: 'line',
      x: { title: 'sw2' },
      y: { title: 'depth (dense layers)' },
      points: columns.flatMap((c) => [
        { series: 'deepest trained (measured)', x: c.sw2Value, y: c.deepestTrained },
        {
          series: `6 xi_c (clipped at ${deepest})`,
          x: c.sw2Value,
          y: Math.min(c.trainableDepth, deepest),
        },
      ]),
      caption: `A depth of 0 is a sw2 at which no depth of the grid trained (accuracy >= ${formatPercent(s.trainedAccuracy)}). In ${grid.steps} steps the edge of the trainable region lies below 6 xi_c; what the theory fixes is where it peaks.`,
    },
  ];
}

export function tables(s: PhaseDiagramSettings, { columns }: Measurements): StudyTable[] {
  return [
    tableOf('columns', 'Per sw2: theory and the deepest trained depth', columns, {
      sw2: (c) => c.label,
      chi_1: (c) => c.chi1,
      '6 xi_c': (c) => (Number.isFinite(c.trainableDepth) ? c.trainableDepth : null),
      side: (c) => sideOf(c.chi1, s.nearBand, s.farBand),
      'deepest trained': (c) => c.deepestTrained,
    }),
  ];
}
