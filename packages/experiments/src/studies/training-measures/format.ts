/** Numbers as checks print them: three significant digits, exponent notation outside [1e-3, 1e4). */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined) return '-';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e4) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

/** A fraction as a percentage with one decimal: 0.1234 -> "12.3%". */
export function formatPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return `${(100 * x).toFixed(1)}%`;
}
