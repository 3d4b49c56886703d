import { invalidArgument } from '../invalid-argument.js';

/**
 * Weight and bias variances of h^l = W^l phi(h^(l-1)) + b^l with W_ij ~ N(0, sw2 / N) and
 * b_i ~ N(0, sb2) (Poole et al. 2016): sw2 = fan-in x the weights' variance.
 */
export interface MeanFieldParams {
  readonly sw2: number;
  readonly sb2: number;
}

export function checkParams(params: MeanFieldParams): void {
  if (params === null || typeof params !== 'object') {
    throw invalidArgument('params', params, 'an object { sw2, sb2 }');
  }
  for (const key of ['sw2', 'sb2'] as const) {
    const v = params[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw invalidArgument(key, v, 'a finite number >= 0 (a variance)');
    }
  }
}

export function checkLength(field: string, q: number, allowInfinity = false): void {
  if (
    typeof q !== 'number' ||
    Number.isNaN(q) ||
    q < 0 ||
    (!allowInfinity && !Number.isFinite(q))
  ) {
    throw invalidArgument(
      field,
      q,
      allowInfinity ? 'a number >= 0, or Infinity' : 'a finite number >= 0',
    );
  }
}
