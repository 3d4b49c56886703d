/**
 * What theory says about the fluctuation of log ||J(x) u||^2 in a random ReLU network with He
 * initialisation and zero biases, layer widths n_1 .. n_L (Hanin 2018).
 *
 * The forward tangent t_l = D_l W_l t_{l-1} (D_l the ReLU mask of x at layer l) grows by
 * R_l = ||t_l||^2 / ||t_{l-1}||^2 per layer. Given the past, W_l is fresh: row i contributes
 * (w_i . t)^2 ~ (2 ||t||^2 / n_{l-1}) chi^2_1 if its unit is on, and since flipping the sign of
 * w_i flips the unit while keeping (w_i . t)^2, each unit is on with probability 1/2
 * independently of that value. So R_l = (2 / n_{l-1}) chi^2_K with K ~ Binomial(n_l, 1/2),
 * independent across layers, and
 *   Var[log ||J u||^2] = sum_l v(n_l),  v(n) = E[psi'(K/2)] + Var[psi(K/2)]
 * (for chi^2_k, E[log] = psi(k/2) + log 2 and Var[log] = psi'(k/2)). For wide layers
 * v(n) = 5/n + O(1/n^2): the variance grows as 5 beta with beta = sum_l 1/n_l, Hanin's
 * measure of depth over width. A linear network has no masks: K = n and v(n) = psi'(n/2) ~ 2/n.
 * A layer whose units are all off (K = 0, probability 2^-n) zeroes the tangent; v conditions
 * on K >= 1, as the measurement leaves such samples out.
 */

const EULER_GAMMA = 0.5772156649015329;

/** psi(k/2) and psi'(k/2) for an integer k >= 1, by recurrence from psi(1/2), psi(1). */
function polygammaHalf(k: number): { digamma: number; trigamma: number } {
  const even = k % 2 === 0;
  let x = even ? 1 : 0.5;
  let digamma = even ? -EULER_GAMMA : -EULER_GAMMA - 2 * Math.LN2;
  let trigamma = even ? Math.PI ** 2 / 6 : Math.PI ** 2 / 2;
  while (x < k / 2) {
    digamma += 1 / x;
    trigamma -= 1 / (x * x);
    x += 1;
  }
  return { digamma, trigamma };
}

export type TangentActivation = 'relu' | 'linear';

/** v(n): the variance of the log of one layer's squared-norm gain R_l, at width n. */
export function layerLogGainVariance(width: number, activation: TangentActivation): number {
  if (activation === 'linear') return polygammaHalf(width).trigamma;
  // K ~ Binomial(n, 1/2) conditioned on K >= 1.
  let logP = -width * Math.LN2;
  let mass = 0;
  let meanTrigamma = 0;
  let meanDigamma = 0;
  let meanDigammaSquared = 0;
  for (let k = 1; k <= width; k++) {
    logP += Math.log((width - k + 1) / k);
    const p = Math.exp(logP);
    const { digamma, trigamma } = polygammaHalf(k);
    mass += p;
    meanTrigamma += p * trigamma;
    meanDigamma += p * digamma;
    meanDigammaSquared += p * digamma * digamma;
  }
  meanTrigamma /= mass;
  meanDigamma /= mass;
  meanDigammaSquared /= mass;
  return meanTrigamma + meanDigammaSquared - meanDigamma * meanDigamma;
}

/** Var[log ||J u||^2] for hidden widths n_1 .. n_L: sum_l v(n_l). */
export function logGainVariance(widths: readonly number[], activation: TangentActivation): number {
  return widths.reduce((s, n) => s + layerLogGainVariance(n, activation), 0);
}

/** Hanin's beta = sum_l 1 / n_l. */
export function beta(widths: readonly number[]): number {
  return widths.reduce((s, n) => s + 1 / n, 0);
}
