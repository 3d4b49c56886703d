import { formatNumber, GradlabError } from '@gradlab/core';
import {
  type ConjugacyRule,
  conjugateGradient,
  gradientDescent,
  heavyBall,
  type NewtonOptions,
  newton,
  type OptimizationResult,
  rosenbrock,
  symmetricEigen,
} from '@gradlab/theory';
import type { CheckResult, FigurePoint, Study, StudyTable } from '../../study.js';
import { samplePath } from './sample-path.js';

export interface RosenbrockSettings {
  /** f(x, y) = (a - x)^2 + b (y - x^2)^2, minimum (a, a^2). */
  readonly a: number;
  readonly b: number;
  readonly start: readonly [number, number];
  /** Reached when ||x - (a, a^2)|| < tolerance. */
  readonly tolerance: number;
  readonly maxIterations: number;
  /** Gradient descent's fixed step, shared by momentum. */
  readonly step: number;
  /** The heavy-ball coefficient (0 is plain gradient descent). */
  readonly momentum: number;
  readonly newton: Required<NewtonOptions>;
  readonly conjugacy: ConjugacyRule;
  /** Newton must arrive in fewer iterations than this. */
  readonly newtonBound: number;
  /** Conjugate gradients must need at most this fraction of gradient descent's iterations. */
  readonly cgFraction: number;
  /** Momentum must need at most this fraction of gradient descent's iterations. */
  readonly momentumFraction: number;
  /** Gradient descent needs at least this many iterations (or never arrives). */
  readonly gdMinIterations: number;
  /** Points of each path kept for the figures. */
  readonly figurePoints: number;
}

/**
 * The checks, with what each measures, its tolerance, and the settings that make it fail, with
 * what was measured under them (rosenbrock.test.ts runs each).
 */
const CHECKS = [
  {
    id: 'newton-handful',
    claim: "Newton's method reaches the minimum from (-1.2, 1) within a handful of iterations",
    measures: "Iterations of Newton's method (full steps, exact Hessian) to ||x - (1, 1)|| < 1e-4.",
    tolerance: 'Fewer than `newtonBound` = 10; measured 5.',
    counterfactuals: [
      {
        change:
          '`newton: { lineSearch: "backtracking", hessian: "identity" }` (no curvature: gradient descent with a line search)',
        measured: '8,768 iterations.',
      },
    ],
  },
  {
    id: 'cg-far-fewer-than-gd',
    claim: 'Nonlinear conjugate gradients need far fewer iterations than gradient descent',
    measures:
      "Iterations of nonlinear conjugate gradients (Polak-Ribiere+, Wolfe line search) over gradient descent's.",
    tolerance: 'At most `cgFraction` = 0.01; measured 22 / 22,845 = 0.00096.',
    counterfactuals: [
      {
        change: '`conjugacy: "none"` (steepest descent with the same line search)',
        measured: '666 / 22,845 = 0.029.',
      },
    ],
  },
  {
    id: 'momentum-faster-than-gd',
    claim:
      'Heavy-ball momentum needs fewer iterations than plain gradient descent at the same step size',
    measures: "Iterations of heavy-ball momentum 0.9 over gradient descent's, both at step 1e-3.",
    tolerance: 'At most `momentumFraction` = 0.5; measured 2,133 / 22,845 = 0.093.',
    counterfactuals: [{ change: '`momentum: 0`', measured: '22,845 / 22,845 = 1.' }],
  },
  {
    id: 'gd-needs-thousands',
    claim:
      "Gradient descent with a stable fixed step needs thousands of iterations to cross the valley's flat floor",
    measures: 'Iterations of gradient descent at the stable step 1e-3.',
    tolerance: 'At least `gdMinIterations` = 1,000 (or no arrival); measured 22,845.',
    counterfactuals: [
      {
        change: '`b: 1, step: 0.1` (a wide valley, Hessian condition number 34 instead of 2,508)',
        measured: '256 iterations.',
      },
    ],
  },
] as const;

function claimOf(id: (typeof CHECKS)[number]['id']): string {
  return CHECKS.find((c) => c.id === id)?.claim ?? id;
}

function checkSettings(s: RosenbrockSettings): void {
  const bad = (field: string, value: unknown, allowed: string) =>
    new GradlabError(
      'INVALID_ARGUMENT',
      `rosenbrock setting ${field} is ${JSON.stringify(value)}; expected ${allowed}`,
    );
  if (!Array.isArray(s.start) || s.start.length !== 2 || !s.start.every(Number.isFinite)) {
    throw bad('start', s.start, 'a point [x, y] of two finite numbers');
  }
  if (!Number.isFinite(s.a)) throw bad('a', s.a, 'a finite number');
  for (const key of ['tolerance', 'step', 'b', 'cgFraction', 'momentumFraction'] as const) {
    if (!(s[key] > 0) || !Number.isFinite(s[key])) throw bad(key, s[key], 'a finite number > 0');
  }
  for (const key of ['maxIterations', 'newtonBound', 'gdMinIterations', 'figurePoints'] as const) {
    if (!Number.isInteger(s[key]) || s[key] < 1) throw bad(key, s[key], 'a positive integer');
  }
}

/** Iterations to arrive, with "never" as the budget plus one (it needed more than the budget). */
const countOf = (r: OptimizationResult, budget: number) => r.iterations ?? budget + 1;
const show = (r: OptimizationResult, budget: number) =>
  r.iterations === null ? `did not arrive within ${budget} (${r.stopReason})` : `${r.iterations}`;

const SETTINGS: RosenbrockSettings = {
  a: 1,
  b: 100,
  start: [-1.2, 1],
  tolerance: 1e-4,
  maxIterations: 100_000,
  step: 1e-3,
  momentum: 0.9,
  newton: { lineSearch: 'none', hessian: 'exact' },
  conjugacy: 'polak-ribiere-plus',
  newtonBound: 10,
  cgFraction: 0.01,
  momentumFraction: 0.5,
  gdMinIterations: 1000,
  figurePoints: 120,
};

export const rosenbrockStudy: Study<RosenbrockSettings> = {
  name: 'rosenbrock',
  title: "First- and second-order optimisers in Rosenbrock's valley",
  reference:
    'Rosenbrock (1960), An automatic method for finding the greatest or least value of a function, The Computer Journal; Polyak (1964), Some methods of speeding up the convergence of iteration methods, USSR Comp. Math. & Math. Phys.; Fletcher & Reeves (1964), Function minimization by conjugate gradients, The Computer Journal; Nocedal & Wright (2006), Numerical Optimization, 2nd ed., Springer.',
  claim:
    "In Rosenbrock's long, curved valley (Hessian condition number ~2,500 at the minimum) gradient descent with a stable fixed step needs thousands of iterations, momentum fewer at the same step, nonlinear conjugate gradients tens, and Newton's method a handful: curvature information, not more steps, is what crosses an ill-conditioned landscape, the same imbalance of scales that makes gradients vanish or explode in deep networks.",
  scaleNote:
    'Nothing is scaled down: the classic problem (a = 1, b = 100, start (-1.2, 1), Nocedal & Wright 2006) runs in well under a second on the host (no tfjs backend), so CI runs the same settings.',
  usesBackend: false,
  checks: CHECKS,
  // The scale note says why: nothing is scaled down, so CI runs the full settings.
  settings: { full: SETTINGS, fast: SETTINGS },
  run: async (ctx, s) => {
    checkSettings(s);
    const f = rosenbrock({ a: s.a, b: s.b });
    const stop = { tolerance: s.tolerance, maxIterations: s.maxIterations };
    const budget = s.maxIterations;
    ctx.progress('gradient descent', 0);
    const gd = gradientDescent(f, s.start, { step: s.step }, stop);
    ctx.progress('momentum', 0.4);
    const hb = heavyBall(f, s.start, { step: s.step, momentum: s.momentum }, stop);
    ctx.progress("Newton's method", 0.7);
    const nt = newton(f, s.start, s.newton, stop);
    ctx.progress('conjugate gradients', 0.8);
    const cg = conjugateGradient(f, s.start, { beta: s.conjugacy }, stop);
    ctx.progress('done', 1);
    const runs = [
      { r: gd, label: `gradient descent, step ${s.step}` },
      { r: hb, label: `momentum ${s.momentum}, step ${s.step}` },
      {
        r: nt,
        label: `${nt.method} (${s.newton.lineSearch === 'none' ? 'full steps' : 'backtracking'})`,
      },
      { r: cg, label: cg.method },
    ];
    const hessian = (f.hessian as NonNullable<typeof f.hessian>)(f.minimum as Float64Array);
    const eig = symmetricEigen(hessian).values;
    const condition = (eig[0] as number) / (eig[1] as number);
    const gdCount = countOf(gd, budget);
    const checks: CheckResult[] = [
      {
        id: 'newton-handful',
        claim: claimOf('newton-handful'),
        pass: nt.iterations !== null && nt.iterations < s.newtonBound,
        measured: `${show(nt, budget)} iterations (${nt.evaluations.hessian} Hessians, ${nt.evaluations.value} function values)`,
        expected: `fewer than ${s.newtonBound} (full Newton steps: 5 from (-1.2, 1), though the second lands at f = 1412; a backtracking line search, which refuses such uphill steps, takes about 20)`,
        values: { newton: nt.iterations },
      },
      {
        id: 'cg-far-fewer-than-gd',
        claim: claimOf('cg-far-fewer-than-gd'),
        pass: cg.iterations !== null && cg.iterations <= s.cgFraction * gdCount,
        measured: `${cg.method}: ${show(cg, budget)} iterations (${cg.evaluations.gradient} gradients); gradient descent: ${show(gd, budget)}`,
        expected: `at most ${s.cgFraction} of gradient descent's iterations (<= ${Math.floor(s.cgFraction * gdCount)})`,
        values: {
          cg: cg.iterations,
          gd: gd.iterations,
          ratio: cg.iterations === null ? null : cg.iterations / gdCount,
        },
      },
      {
        id: 'momentum-faster-than-gd',
        claim: claimOf('momentum-faster-than-gd'),
        pass: hb.iterations !== null && hb.iterations <= s.momentumFraction * gdCount,
        measured: `momentum ${s.momentum}: ${show(hb, budget)} iterations; gradient descent: ${show(gd, budget)}, both at step ${s.step}`,
        expected: `at most ${s.momentumFraction} of gradient descent's iterations (<= ${Math.floor(s.momentumFraction * gdCount)}); along the valley floor momentum ${s.momentum} multiplies the step by up to 1/(1 - ${s.momentum}) = ${formatNumber(1 / (1 - s.momentum))}`,
        values: {
          momentum: hb.iterations,
          gd: gd.iterations,
          ratio: hb.iterations === null ? null : hb.iterations / gdCount,
        },
      },
      {
        id: 'gd-needs-thousands',
        claim: claimOf('gd-needs-thousands'),
        pass: gd.iterations === null || gd.iterations >= s.gdMinIterations,
        measured: `${show(gd, budget)} iterations at step ${s.step}; Hessian condition number at the minimum ${condition.toFixed(0)}`,
        expected: `at least ${s.gdMinIterations} (or no arrival within ${budget}): a stable step is below 2/lambda_max, and the error along the flattest direction shrinks by only 1 - step lambda_min per iteration`,
        values: { gd: gd.iterations, condition },
      },
    ];
    const minimum = f.minimum as Float64Array;
    const pathPoints: FigurePoint[] = [];
    for (let i = 0; i <= 60; i++) {
      const x = -1.5 + (3 * i) / 60;
      pathPoints.push({ series: 'valley floor y = x^2', x, y: x * x });
    }
    for (const { r, label } of runs) {
      for (const k of samplePath(r.path.length, s.figurePoints)) {
        const p = r.path[k] as Float64Array;
        pathPoints.push({ series: label, x: p[0] as number, y: p[1] as number });
      }
    }
    pathPoints.push({ series: 'minimum', x: minimum[0] as number, y: minimum[1] as number });
    const distancePoints: FigurePoint[] = runs.flatMap(({ r, label }) =>
      samplePath(r.path.length, s.figurePoints)
        .filter((k) => k > 0)
        .map((k) => {
          const p = r.path[k] as Float64Array;
          return {
            series: label,
            x: k,
            y: Math.hypot(
              (p[0] as number) - (minimum[0] as number),
              (p[1] as number) - (minimum[1] as number),
            ),
          };
        }),
    );
    const table: StudyTable = {
      id: 'iterations',
      title: `Iterations to ||x - (${s.a}, ${s.a * s.a})|| < ${s.tolerance} from (${s.start.join(', ')})`,
      columns: [
        'method',
        'iterations',
        'stop',
        'final distance',
        'f values',
        'gradients',
        'Hessians',
      ],
      rows: runs.map(({ r, label }) => [
        label,
        r.iterations,
        r.stopReason,
        Number(r.finalDistance.toPrecision(3)),
        r.evaluations.value,
        r.evaluations.gradient,
        r.evaluations.hessian,
      ]),
    };
    return {
      checks,
      figures: [
        {
          id: 'paths',
          title: "Each method's path through the valley",
          kind: 'line',
          // Iterates in the order they were taken: a path, not a function of x.
          path: true,
          x: { title: 'x' },
          y: { title: 'y' },
          points: pathPoints,
          caption:
            'Gradient descent and momentum drop into the valley at once, then creep along its floor (y = x^2); conjugate gradients and Newton cut along it in a few long steps.',
        },
        {
          id: 'distance',
          title: 'Distance to the minimum against iteration',
          kind: 'line',
          x: { title: 'iteration', log: true },
          y: { title: '||x - x*||', log: true },
          points: distancePoints,
          caption:
            "Newton's last steps square the error (quadratic convergence); gradient descent's shrink it by a fixed factor close to 1.",
        },
      ],
      tables: [table],
    };
  },
};
