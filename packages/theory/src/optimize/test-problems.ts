import { matrix } from '../linalg.js';
import { quadratic } from './quadratic.js';

/** f = 1/2 (x^2 + 10 y^2) - ... : Hessian eigenvalues mu = 1 and L = 10, minimum at (1, -2). */
export function ellipse() {
  const a = matrix(2, 2, [1, 0, 0, 10]);
  return quadratic(a, [1, -20]);
}

/** A dense, rotated 2-D quadratic (Hessian [[4, 1], [1, 3]]). */
export function tiltedQuadratic() {
  return quadratic(matrix(2, 2, [4, 1, 1, 3]), [1, 2]);
}
