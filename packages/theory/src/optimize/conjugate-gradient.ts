import { invalidArgument } from '../invalid-argument.js';
import { iterate, type OptimizationResult, type StopRule } from './iterate.js';
import { strongWolfeLineSearch, type WolfeOptions } from './line-search.js';
import type { Objective } from './objective.js';
import { dot, norm, step } from './vector.js';

/**
 * How the new direction mixes in the old one, d_{k+1} = -g_{k+1} + beta d_k:
 * - 'polak-ribiere-plus' (default): beta = max(0, g_{k+1}^T (g_{k+1} - g_k) / ||g_k||^2)
 *   (Polak & Ribiere 1969; the "+" restart of Powell 1986 / Gilbert & Nocedal 1992), which
 *   restarts by itself when progress stalls;
 * - 'fletcher-reeves': beta = ||g_{k+1}||^2 / ||g_k||^2 (Fletcher & Reeves 1964);
 * - 'none': beta = 0, steepest descent with the same line search: the counterfactual that shows
 *   what conjugacy buys.
 */
export type ConjugacyRule = 'polak-ribiere-plus' | 'fletcher-reeves' | 'none';

export interface ConjugateGradientOptions {
  readonly beta?: ConjugacyRule;
  /**
   * The strong Wolfe line search (Nocedal & Wright 2006, Algorithms 3.5-3.6). Default c1 = 1e-4
   * and c2 = 0.1, the value Nocedal & Wright recommend for conjugate gradients; on a quadratic,
   * the n-step termination needs an exact line search (c2 -> 0).
   */
  readonly lineSearch?: WolfeOptions;
}

/**
 * Nonlinear conjugate gradients. The first trial step of each line search is the previous
 * step scaled by the ratio of directional derivatives (Nocedal & Wright eq. 3.60), the first
 * of all a unit-length move; any direction that is not a descent direction is replaced by
 * -g (a restart).
 */
export function conjugateGradient(
  objective: Objective,
  start: ArrayLike<number>,
  options: ConjugateGradientOptions,
  stop: StopRule,
): OptimizationResult {
  const rule = options.beta ?? 'polak-ribiere-plus';
  if (!['polak-ribiere-plus', 'fletcher-reeves', 'none'].includes(rule)) {
    throw invalidArgument('beta', rule, "'polak-ribiere-plus', 'fletcher-reeves' or 'none'");
  }
  const wolfe: WolfeOptions = { c1: 1e-4, c2: 0.1, ...options.lineSearch };
  const method = rule === 'none' ? 'steepest descent (Wolfe)' : `conjugate gradient (${rule})`;
  return iterate(method, objective, start, stop, (f) => {
    let g: Float64Array | null = null;
    let value = 0;
    let d: Float64Array | null = null;
    let previousSlope = 0;
    let previousStep = 0;
    return (x) => {
      if (!g) {
        value = f.value(x);
        g = f.gradient(x);
      }
      if (!d || !(dot(g, d) < 0)) d = g.map((v) => -v);
      const slope = dot(g, d);
      const initialStep =
        previousSlope < 0 ? (previousStep * previousSlope) / slope : 1 / Math.max(norm(d), 1e-300);
      const found = strongWolfeLineSearch(
        f,
        x,
        d,
        { ...wolfe, initialStep: wolfe.initialStep ?? initialStep },
        value,
        g,
      );
      if (!found) return null;
      const gNext = found.gradient;
      let beta = 0;
      const gg = dot(g, g);
      if (rule === 'fletcher-reeves') beta = dot(gNext, gNext) / gg;
      else if (rule === 'polak-ribiere-plus')
        beta = Math.max(0, (dot(gNext, gNext) - dot(gNext, g)) / gg);
      previousSlope = slope;
      previousStep = found.step;
      d = step(
        gNext.map((v) => -v),
        beta,
        d,
      );
      g = gNext;
      value = found.value;
      return found.point;
    };
  });
}
