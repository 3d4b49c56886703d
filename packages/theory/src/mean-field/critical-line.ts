import {
  type ActivationFunctions,
  type ActivationLike,
  activationFunctions,
} from '../activations.js';
import { brentRoot } from '../brent-root.js';
import { invalidArgument } from '../invalid-argument.js';
import { chi1At } from './chi1.js';
import { lengthFixedPoint } from './length.js';

/** The range of sw2 searched by default for the critical line. */
export const CRITICAL_SEARCH: readonly [number, number] = [1e-3, 1e4];

export interface CriticalLineOptions {
  /** [lowest, highest] sw2 to search; default CRITICAL_SEARCH. */
  readonly range?: readonly [number, number];
}

function chi1(act: ActivationFunctions, sw2: number, sb2: number): number {
  return chi1At(act, sw2, lengthFixedPoint(act, { sw2, sb2 }));
}

/**
 * The sw2 at which chi_1(sw2, sb2) = 1: the order-to-chaos critical line of Poole et al. (2016)
 * and Schoenholz et al. (2017), where gradients neither vanish nor explode. The range is scanned
 * on a geometric grid (ratio 2) for the first sign change of chi_1 - 1, then solved by Brent's
 * method to about 1e-12 relative. Throws when chi_1 does not cross 1 in the range.
 */
export function criticalSw2(
  activation: ActivationLike,
  sb2: number,
  options: CriticalLineOptions = {},
): number {
  const act = activationFunctions(activation);
  if (typeof sb2 !== 'number' || !Number.isFinite(sb2) || sb2 < 0) {
    throw invalidArgument('sb2', sb2, 'a finite number >= 0 (a variance)');
  }
  const [lowest, highest] = options.range ?? CRITICAL_SEARCH;
  if (!(Number.isFinite(lowest) && Number.isFinite(highest) && lowest > 0 && highest > lowest)) {
    throw invalidArgument(
      'range',
      options.range,
      '[lowest, highest] with 0 < lowest < highest, both finite',
    );
  }
  const closed = act.closedForms;
  if (closed?.homogeneous) {
    // chi_1 = sw2 E[phi'^2] whatever the length.
    const sw2 = 1 / closed.slopeSecondMoment(1);
    if (sw2 >= lowest && sw2 <= highest) return sw2;
  } else {
    const excess = (sw2: number) => chi1(act, sw2, sb2) - 1;
    let lower = lowest;
    let below = excess(lower);
    if (below === 0) return lower;
    for (let upper = Math.min(lower * 2, highest); ; upper = Math.min(upper * 2, highest)) {
      const above = excess(upper);
      if (Math.sign(above) !== Math.sign(below)) {
        return brentRoot(excess, lower, upper, 1e-12 * upper);
      }
      if (upper === highest) break;
      lower = upper;
      below = above;
    }
  }
  const ends = [lowest, highest].map((sw2) => chi1(act, sw2, sb2).toPrecision(4));
  throw invalidArgument(
    'sb2',
    sb2,
    `a bias variance at which chi_1 of ${act.name} crosses 1 for sw2 from ${lowest} to ${highest}; there chi_1 goes from ${ends[0]} to ${ends[1]} without reaching 1`,
  );
}
