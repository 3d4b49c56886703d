import type { ActivationFunctions } from '../activations.js';
import type { LengthFixedPoint } from './length.js';
import { moments, Q_LIMIT } from './moments.js';

/**
 * chi_1 = sw2 E[phi'(sqrt(q) z)^2] where the length map leads: at q*, at any q when every length
 * is a fixed point (a homogeneous activation's moments do not depend on q), and in the limit
 * q -> Infinity when the length diverges.
 */
export function chi1At(act: ActivationFunctions, sw2: number, length: LengthFixedPoint): number {
  const m = moments(act);
  if (length.fate === 'fixed-point') return sw2 * m.slopeSecondMoment(length.qStar);
  return sw2 * m.slopeSecondMoment(act.closedForms?.homogeneous ? 1 : Q_LIMIT);
}
