/**
 * Reference integrals for the tests, independent of the quadrature under test: adaptive Simpson
 * (Lyness 1969) on finite intervals, applied to Gaussian expectations over [-12, 12] split at the
 * kinks. The normal density is below 1e-31 beyond |z| = 12.
 *
 * The interval is first cut into `panels` pieces, each refined on its own: adaptive Simpson that
 * starts from three points can take a narrow peak it never sampled for a converged zero.
 */
export function adaptiveSimpson(
  f: (x: number) => number,
  a: number,
  b: number,
  tolerance = 1e-12,
  panels = 96,
): number {
  let sum = 0;
  const width = (b - a) / panels;
  for (let p = 0; p < panels; p++) {
    const lo = a + p * width;
    sum += simpsonPanel(f, lo, p === panels - 1 ? b : lo + width, tolerance / panels, 40);
  }
  return sum;
}

function simpsonPanel(
  f: (x: number) => number,
  a: number,
  b: number,
  tolerance: number,
  maxDepth: number,
): number {
  const fa = f(a);
  const fb = f(b);
  const m = (a + b) / 2;
  const fm = f(m);
  const whole = ((b - a) / 6) * (fa + 4 * fm + fb);
  return refine(f, a, b, fa, fm, fb, whole, tolerance, maxDepth);
}

function refine(
  f: (x: number) => number,
  a: number,
  b: number,
  fa: number,
  fm: number,
  fb: number,
  whole: number,
  tolerance: number,
  depth: number,
): number {
  const m = (a + b) / 2;
  const lm = (a + m) / 2;
  const rm = (m + b) / 2;
  const flm = f(lm);
  const frm = f(rm);
  const left = ((m - a) / 6) * (fa + 4 * flm + fm);
  const right = ((b - m) / 6) * (fm + 4 * frm + fb);
  const delta = left + right - whole;
  if (depth <= 0 || Math.abs(delta) <= 15 * tolerance) return left + right + delta / 15;
  return (
    refine(f, a, m, fa, flm, fm, left, tolerance / 2, depth - 1) +
    refine(f, m, b, fm, frm, fb, right, tolerance / 2, depth - 1)
  );
}

const density = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/** E[f(z)], z ~ N(0, 1), integrating each side of `kink` separately. */
export function referenceExpectation(
  f: (z: number) => number,
  kink = 0,
  tolerance = 1e-12,
): number {
  const g = (z: number) => f(z) * density(z);
  // Evaluate a hair inside each piece so that f's value at the kink itself is never used.
  const hair = Math.max(Math.abs(kink) * 2 ** -50, 1e-300);
  const below = adaptiveSimpson((z) => g(Math.min(z, kink - hair)), -12, kink, tolerance);
  const above = adaptiveSimpson((z) => g(Math.max(z, kink + hair)), kink, 12, tolerance);
  return below + above;
}

/**
 * E[f(x1) g(x2)] for standard normals with correlation c, as E_z1[f(z1) E_z2[g(c z1 + s z2)]]
 * with s = sqrt(1 - c^2); the inner integral is split where g's argument crosses 0.
 */
export function referenceBivariate(
  f: (x: number) => number,
  g: (x: number) => number,
  c: number,
  tolerance = 1e-8,
): number {
  const s = Math.sqrt(1 - c * c);
  const inner = (z1: number) =>
    referenceExpectation((z2) => g(c * z1 + s * z2), (-c * z1) / s, tolerance);
  return referenceExpectation((z1) => f(z1) * inner(z1), 0, tolerance);
}
