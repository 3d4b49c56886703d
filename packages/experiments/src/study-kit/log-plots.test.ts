import type { StepDiagnostics } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import type { TrainedRun } from '../study.js';
import { gradientNormPoints, logLineFigure, lossPoints, plotted } from './log-plots.js';

describe('log plots', () => {
  it('leaves out what a log axis cannot draw', () => {
    expect(plotted('a', 1, 2)).toEqual([{ series: 'a', x: 1, y: 2 }]);
    for (const y of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, null, undefined]) {
      expect(plotted('a', 1, y)).toEqual([]);
    }
  });

  it('a loss curve counts steps from 1; gradient norms keep their own step', () => {
    expect(lossPoints('run', [2, Number.NaN, 0.5])).toEqual([
      { series: 'run', x: 1, y: 2 },
      { series: 'run', x: 3, y: 0.5 },
    ]);
    const run = {
      steps: [
        { step: 1, globalGradNorm: 3 },
        { step: 5, globalGradNorm: 0 },
      ] as StepDiagnostics[],
    } as unknown as TrainedRun;
    expect(gradientNormPoints('run', run)).toEqual([{ series: 'run', x: 1, y: 3 }]);
  });

  it('a line figure on a log y axis, against the step unless told otherwise', () => {
    const figure = { id: 'f', title: 'F', y: 'loss', points: [], caption: 'c' };
    expect(logLineFigure(figure)).toEqual({
      id: 'f',
      title: 'F',
      kind: 'line',
      x: { title: 'step' },
      y: { title: 'loss', log: true },
      points: [],
      caption: 'c',
    });
    expect(logLineFigure({ ...figure, x: 'T' }).x).toEqual({ title: 'T' });
  });
});
