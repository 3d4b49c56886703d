/**
 * Where an axis value falls on a heatmap whose categories sit at 0, 1, ..., n - 1: linear
 * between the two category values around it (the grid need not be evenly spaced, so a value
 * halfway between depths 10 and 40 is halfway between their columns, not at depth 25's
 * place on a linear scale). Values beyond the grid are clipped to the first or last centre:
 * extrapolating a curve past the cells would draw it where nothing was measured.
 * `centres` are the axis's numeric values in ascending order.
 */
export function categoryPosition(centres: readonly number[], value: number): number {
  const n = centres.length;
  const first = centres[0];
  const last = centres[n - 1];
  if (first === undefined || last === undefined || n === 1) return 0;
  if (value <= first) return 0;
  if (value >= last) return n - 1;
  for (let i = 1; i < n; i++) {
    const hi = centres[i] as number;
    if (value <= hi) {
      const lo = centres[i - 1] as number;
      return i - 1 + (value - lo) / (hi - lo);
    }
  }
  return n - 1;
}
