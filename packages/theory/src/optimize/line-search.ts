import { invalidArgument } from '../invalid-argument.js';
import type { Objective } from './objective.js';
import { dot, step } from './vector.js';

export interface WolfeOptions {
  /** Sufficient decrease: f(x + a d) <= f(x) + c1 a g^T d. */
  readonly c1?: number;
  /**
   * Curvature, strong form: |g(x + a d)^T d| <= c2 |g^T d|. Nocedal & Wright recommend 0.9 for
   * Newton and quasi-Newton directions and 0.1 for nonlinear conjugate gradients.
   */
  readonly c2?: number;
  /** The first trial step. */
  readonly initialStep?: number;
  readonly maxStep?: number;
  /** Function evaluations allowed (bracketing and zoom together) before giving up. */
  readonly maxEvaluations?: number;
}

export interface LineSearchResult {
  readonly step: number;
  readonly point: Float64Array;
  readonly value: number;
  readonly gradient: Float64Array;
}

/**
 * A step length along the descent direction d satisfying the strong Wolfe conditions, by
 * Nocedal & Wright (2006), Algorithm 3.5 (bracketing: grow the step until it overshoots the
 * decrease or the slope turns) and Algorithm 3.6 (zoom: shrink the bracket by safeguarded cubic
 * interpolation, eq. 3.59). Null when d is not a descent direction or no step is found within
 * the evaluation budget.
 */
export function strongWolfeLineSearch(
  objective: Objective,
  x: Float64Array,
  d: Float64Array,
  options: WolfeOptions = {},
  f0 = objective.value(x),
  g0 = objective.gradient(x),
): LineSearchResult | null {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  if (!(c1 > 0 && c1 < c2 && c2 < 1)) {
    throw invalidArgument('c1, c2', `${c1}, ${c2}`, '0 < c1 < c2 < 1');
  }
  const maxStep = options.maxStep ?? 1e10;
  let budget = options.maxEvaluations ?? 100;
  const slope0 = dot(g0, d);
  if (!(slope0 < 0)) return null;

  interface Trial {
    readonly a: number;
    readonly f: number;
    /** phi'(a) = g(x + a d)^T d; NaN where f is not finite. */
    readonly slope: number;
    readonly point: Float64Array;
    readonly gradient: Float64Array;
  }
  // Every trial evaluates the gradient too: zoom interpolates with the slopes at both ends,
  // which makes the search exact in one step on a quadratic.
  const evaluate = (a: number): Trial => {
    budget--;
    const point = step(x, a, d);
    const f = objective.value(point);
    if (!Number.isFinite(f))
      return { a, f, slope: Number.NaN, point, gradient: new Float64Array(0) };
    const gradient = objective.gradient(point);
    return { a, f, slope: dot(gradient, d), point, gradient };
  };
  const accept = (t: Trial): LineSearchResult => ({
    step: t.a,
    point: t.point,
    value: t.f,
    gradient: t.gradient,
  });
  const sufficient = (t: Trial) => t.f <= f0 + c1 * t.a * slope0;
  const flat = (t: Trial) => Math.abs(t.slope) <= -c2 * slope0;

  // Algorithm 3.6: lo satisfies sufficient decrease with the lowest f so far; the bracket
  // [lo, hi] (in either order) contains steps satisfying the strong Wolfe conditions.
  const zoom = (loIn: Trial, hiIn: Trial): LineSearchResult | null => {
    let lo = loIn;
    let hi = hiIn;
    while (budget > 0) {
      const a = interpolate(lo, hi);
      if (a === lo.a || a === hi.a) return null; // the bracket has shrunk below float resolution
      const t = evaluate(a);
      if (!sufficient(t) || t.f >= lo.f) {
        hi = t;
        continue;
      }
      if (flat(t)) return accept(t);
      if (t.slope * (hi.a - lo.a) >= 0) hi = lo;
      lo = t;
    }
    return null;
  };

  let previous: Trial = { a: 0, f: f0, slope: slope0, point: x, gradient: g0 };
  let a = Math.min(options.initialStep ?? 1, maxStep);
  if (!(a > 0)) throw invalidArgument('initialStep', a, 'a number > 0');
  for (let i = 0; budget > 0; i++) {
    const t = evaluate(a);
    if (!sufficient(t) || (i > 0 && t.f >= previous.f)) return zoom(previous, t);
    if (flat(t)) return accept(t);
    if (t.slope >= 0) return zoom(t, previous);
    if (a >= maxStep) return null;
    previous = t;
    a = Math.min(2 * a, maxStep);
  }
  return null;
}

/**
 * The minimiser of the cubic through (a, f, slope) at both ends of the bracket (Nocedal &
 * Wright eq. 3.59), kept at least a tenth of the bracket away from either end; bisection where
 * the cubic has no minimiser there or an end is not finite.
 */
function interpolate(
  lo: { a: number; f: number; slope: number },
  hi: { a: number; f: number; slope: number },
): number {
  const left = Math.min(lo.a, hi.a);
  const right = Math.max(lo.a, hi.a);
  const margin = 0.1 * (right - left);
  const mid = (left + right) / 2;
  if (Number.isNaN(hi.slope) || Number.isNaN(lo.slope)) return mid;
  const d1 = lo.slope + hi.slope - (3 * (lo.f - hi.f)) / (lo.a - hi.a);
  const disc = d1 * d1 - lo.slope * hi.slope;
  if (!(disc >= 0)) return mid;
  const d2 = Math.sign(hi.a - lo.a) * Math.sqrt(disc);
  const a = hi.a - ((hi.a - lo.a) * (hi.slope + d2 - d1)) / (hi.slope - lo.slope + 2 * d2);
  if (!Number.isFinite(a) || a < left + margin || a > right - margin) return mid;
  return a;
}

export interface BacktrackingOptions {
  /** Sufficient decrease constant. */
  readonly c?: number;
  /** Each rejected step is multiplied by this. */
  readonly shrink?: number;
  readonly initialStep?: number;
  readonly maxEvaluations?: number;
}

/**
 * The first of a, shrink a, shrink^2 a, ... that decreases f sufficiently (the Armijo
 * condition; Nocedal & Wright 2006, Algorithm 3.1). Starting from the full step 1, it lets
 * Newton's method take full steps, and so converge quadratically, once near the minimum.
 */
export function backtrackingLineSearch(
  objective: Objective,
  x: Float64Array,
  d: Float64Array,
  options: BacktrackingOptions = {},
  f0 = objective.value(x),
  g0 = objective.gradient(x),
): { step: number; point: Float64Array; value: number } | null {
  const c = options.c ?? 1e-4;
  const shrink = options.shrink ?? 0.5;
  if (!(c > 0 && c < 1)) throw invalidArgument('c', c, 'a number in (0, 1)');
  if (!(shrink > 0 && shrink < 1)) throw invalidArgument('shrink', shrink, 'a number in (0, 1)');
  const slope0 = dot(g0, d);
  if (!(slope0 < 0)) return null;
  let a = options.initialStep ?? 1;
  for (let i = 0; i < (options.maxEvaluations ?? 60); i++) {
    const point = step(x, a, d);
    const value = objective.value(point);
    if (value <= f0 + c * a * slope0) return { step: a, point, value };
    a *= shrink;
  }
  return null;
}
