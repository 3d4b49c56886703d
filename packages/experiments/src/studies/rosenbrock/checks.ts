import { formatNumber } from '@gradlab/core';
import {
  conjugateGradient,
  gradientDescent,
  heavyBall,
  newton,
  type OptimizationResult,
  rosenbrock,
  symmetricEigen,
} from '@gradlab/theory';
import { declareChecks, judged } from '../../define/define-study.js';
import type { CheckResult, JudgeContext } from '../../study.js';
import type { RosenbrockSettings } from './settings.js';

/**
 * The checks, with what each measures, its tolerance, and the settings that make it fail, with
 * what was measured under them (rosenbrock.test.ts runs each).
 */
export const declared = declareChecks({
  'newton-handful': {
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
  'cg-far-fewer-than-gd': {
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
  'momentum-faster-than-gd': {
    claim:
      'Heavy-ball momentum needs fewer iterations than plain gradient descent at the same step size',
    measures: "Iterations of heavy-ball momentum 0.9 over gradient descent's, both at step 1e-3.",
    tolerance: 'At most `momentumFraction` = 0.5; measured 2,133 / 22,845 = 0.093.',
    counterfactuals: [{ change: '`momentum: 0`', measured: '22,845 / 22,845 = 1.' }],
  },
  'gd-needs-thousands': {
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
});

/** Runs the four methods from the same start. */
export function descend(s: RosenbrockSettings, { progress }: JudgeContext) {
  const f = rosenbrock({ a: s.a, b: s.b });
  const stop = { tolerance: s.tolerance, maxIterations: s.maxIterations };
  progress('gradient descent', 0);
  const gd = gradientDescent(f, s.start, { step: s.step }, stop);
  progress('momentum', 0.4);
  const hb = heavyBall(f, s.start, { step: s.step, momentum: s.momentum }, stop);
  progress("Newton's method", 0.7);
  const nt = newton(f, s.start, s.newton, stop);
  progress('conjugate gradients', 0.8);
  const cg = conjugateGradient(f, s.start, { beta: s.conjugacy }, stop);
  const minimum = f.minimum as Float64Array;
  const eig = symmetricEigen((f.hessian as NonNullable<typeof f.hessian>)(minimum)).values;
  // lambda_max / lambda_min of the Hessian at the minimum.
  const condition = (eig[0] as number) / (eig[1] as number);
  return { gd, momentum: hb, newton: nt, cg, minimum, condition };
}

/** The four methods from the same start, and the valley they crossed. */
export type Descents = ReturnType<typeof descend>;

export function checks(s: RosenbrockSettings, d: Descents): CheckResult[] {
  const budget = s.maxIterations;
  const show = (r: OptimizationResult) =>
    r.iterations === null ? `did not arrive within ${budget} (${r.stopReason})` : `${r.iterations}`;
  const { gd, momentum: hb, newton: nt, cg } = d;
  // A run that never arrived counts as the budget plus one: it needed more than the budget.
  const gdCount = gd.iterations ?? budget + 1;
  const withinFraction = (r: OptimizationResult, fraction: number) =>
    r.iterations !== null && r.iterations <= fraction * gdCount;
  const ratio = (r: OptimizationResult) => (r.iterations === null ? null : r.iterations / gdCount);
  const atMost = (fraction: number) =>
    `at most ${fraction} of gradient descent's iterations (<= ${Math.floor(fraction * gdCount)})`;
  return [
    judged(declared, 'newton-handful', {
      pass: nt.iterations !== null && nt.iterations < s.newtonBound,
      measured: `${show(nt)} iterations (${nt.evaluations.hessian} Hessians, ${nt.evaluations.value} function values)`,
      expected: `fewer than ${s.newtonBound} (full Newton steps: 5 from (-1.2, 1), though the second lands at f = 1412; a backtracking line search, which refuses such uphill steps, takes about 20)`,
      values: { newton: nt.iterations },
    }),
    judged(declared, 'cg-far-fewer-than-gd', {
      pass: withinFraction(cg, s.cgFraction),
      measured: `${cg.method}: ${show(cg)} iterations (${cg.evaluations.gradient} gradients); gradient descent: ${show(gd)}`,
      expected: atMost(s.cgFraction),
      values: { cg: cg.iterations, gd: gd.iterations, ratio: ratio(cg) },
    }),
    judged(declared, 'momentum-faster-than-gd', {
      pass: withinFraction(hb, s.momentumFraction),
      measured: `momentum ${s.momentum}: ${show(hb)} iterations; gradient descent: ${show(gd)}, both at step ${s.step}`,
      expected: `${atMost(s.momentumFraction)}; along the valley floor momentum ${s.momentum} multiplies the step by up to 1/(1 - ${s.momentum}) = ${formatNumber(1 / (1 - s.momentum))}`,
      values: { momentum: hb.iterations, gd: gd.iterations, ratio: ratio(hb) },
    }),
    judged(declared, 'gd-needs-thousands', {
      pass: gd.iterations === null || gd.iterations >= s.gdMinIterations,
      measured: `${show(gd)} iterations at step ${s.step}; Hessian condition number at the minimum ${d.condition.toFixed(0)}`,
      expected: `at least ${s.gdMinIterations} (or no arrival within ${budget}): a stable step is below 2/lambda_max, and the error along the flattest direction shrinks by only 1 - step lambda_min per iteration`,
      values: { gd: gd.iterations, condition: d.condition },
    }),
  ];
}
