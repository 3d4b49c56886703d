import { defineStudy } from '../../define/define-study.js';
import { hostNumericsPlan } from '../../study-kit/study-plan.js';
import { checks, declared, descend } from './checks.js';
import { figures, tables } from './figures.js';
import { checkSettings, type RosenbrockSettings, scaleNote, settings } from './settings.js';

export const rosenbrockStudy = defineStudy<RosenbrockSettings>({
  name: 'rosenbrock',
  title: "First- and second-order optimisers in Rosenbrock's valley",
  reference:
    'Rosenbrock (1960), An automatic method for finding the greatest or least value of a function, The Computer Journal; Polyak (1964), Some methods of speeding up the convergence of iteration methods, USSR Comp. Math. & Math. Phys.; Fletcher & Reeves (1964), Function minimization by conjugate gradients, The Computer Journal; Nocedal & Wright (2006), Numerical Optimization, 2nd ed., Springer.',
  claim:
    "In Rosenbrock's long, curved valley (Hessian condition number ~2,500 at the minimum) gradient descent with a stable fixed step needs thousands of iterations, momentum fewer at the same step, nonlinear conjugate gradients tens, and Newton's method a handful: curvature information, not more steps, is what crosses an ill-conditioned landscape, the same imbalance of scales that makes gradients vanish or explode in deep networks.",
  scaleNote,
  usesBackend: false,
  checks: declared,
  settings,
  // Host numerics only: the judge runs the four optimisers, in well under a second.
  ...hostNumericsPlan(checkSettings, descend, { checks, figures, tables }),
});
