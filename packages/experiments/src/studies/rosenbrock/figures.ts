import type { OptimizationResult } from '@gradlab/theory';
import type { FigurePoint, StudyFigure, StudyTable } from '../../study.js';
import { tableOf } from '../../study-kit/table.js';
import type { Descents } from './checks.js';
import { samplePath } from './sample-path.js';
import type { RosenbrockSettings } from './settings.js';

/** The four methods in the table's order, named as the figures and the table show them. */
function methods(s: RosenbrockSettings, d: Descents): { label: string; r: OptimizationResult }[] {
  const newtonSteps = s.newton.lineSearch === 'none' ? 'full steps' : 'backtracking';
  return [
    { r: d.gd, label: `gradient descent, step ${s.step}` },
    { r: d.momentum, label: `momentum ${s.momentum}, step ${s.step}` },
    { r: d.newton, label: `${d.newton.method} (${newtonSteps})` },
    { r: d.cg, label: d.cg.method },
  ];
}

/** A point of the plane as its two coordinates. */
const xy = (p: Float64Array) => [p[0] as number, p[1] as number] as const;

export function figures(s: RosenbrockSettings, d: Descents): StudyFigure[] {
  const [mx, my] = xy(d.minimum);
  const paths: FigurePoint[] = Array.from({ length: 61 }, (_, i) => {
    const x = -1.5 + (3 * i) / 60;
    return { series: 'valley floor y = x^2', x, y: x * x };
  });
  const distances: FigurePoint[] = [];
  for (const { label, r } of methods(s, d)) {
    for (const k of samplePath(r.path.length, s.figurePoints)) {
      const [x, y] = xy(r.path[k] as Float64Array);
      paths.push({ series: label, x, y });
      if (k > 0) distances.push({ series: label, x: k, y: Math.hypot(x - mx, y - my) });
    }
  }
  paths.push({ series: 'minimum', x: mx, y: my });
  return [
    {
      id: 'paths',
      title: "Each method's path through the valley",
      kind: 'line',
      // Iterates in the order they were taken: a path, not a function of x.
      path: true,
      x: { title: 'x' },
      y: { title: 'y' },
      points: paths,
      caption:
        'Gradient descent and momentum drop into the valley at once, then creep along its floor (y = x^2); conjugate gradients and Newton cut along it in a few long steps.',
    },
    {
      id: 'distance',
      title: 'Distance to the minimum against iteration',
      kind: 'line',
      x: { title: 'iteration', log: true },
      y: { title: '||x - x*||', log: true },
      points: distances,
      caption:
        "Newton's last steps square the error (quadratic convergence); gradient descent's shrink it by a fixed factor close to 1.",
    },
  ];
}

export function tables(s: RosenbrockSettings, d: Descents): StudyTable[] {
  const title = `Iterations to ||x - (${s.a}, ${s.a * s.a})|| < ${s.tolerance} from (${s.start.join(', ')})`;
  return [
    tableOf('iterations', title, methods(s, d), {
      method: ({ label }) => label,
      iterations: ({ r }) => r.iterations,
      stop: ({ r }) => r.stopReason,
      'final distance': ({ r }) => Number(r.finalDistance.toPrecision(3)),
      'f values': ({ r }) => r.evaluations.value,
      gradients: ({ r }) => r.evaluations.gradient,
      Hessians: ({ r }) => r.evaluations.hessian,
    }),
  ];
}
