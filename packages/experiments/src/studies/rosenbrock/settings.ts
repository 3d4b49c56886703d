import type { ConjugacyRule, NewtonOptions } from '@gradlab/theory';
import { settingRules } from '../../study-kit/setting-rules.js';

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

// The scale note says why: nothing is scaled down, so CI runs the full settings.
export const settings = { full: SETTINGS, fast: SETTINGS };

export const scaleNote =
  'Nothing is scaled down: the classic problem (a = 1, b = 100, start (-1.2, 1), Nocedal & Wright 2006) runs in well under a second on the host (no tfjs backend), so CI runs the same settings.';

export function checkSettings(s: RosenbrockSettings): void {
  const rules = settingRules('rosenbrock', s);
  const { start } = s;
  const point = Array.isArray(start) && start.length === 2 && start.every(Number.isFinite);
  rules.expect('start', start, point, 'a point [x, y] of two finite numbers');
  rules.expect('a', s.a, Number.isFinite(s.a), 'a finite number');
  rules.positiveFinite('tolerance', 'step', 'b', 'cgFraction', 'momentumFraction');
  rules.positiveIntegers('maxIterations', 'newtonBound', 'gdMinIterations', 'figurePoints');
}
