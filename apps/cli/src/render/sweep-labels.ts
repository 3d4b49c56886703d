import { type Cell, sweepAxes } from '@gradlab/sweep';

/** The params that differ between cells: what tells one cell from another in a line. */
export function varyingAxes(cells: readonly Cell[]): string[] {
  return sweepAxes(cells)
    .filter((a) => a.values.length > 1)
    .map((a) => a.name);
}

const value = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** "model.depth=8 model.init=he-normal mitigation=batchnorm seed=1". */
export function cellLabel(
  params: Readonly<Record<string, unknown>>,
  axes: readonly string[],
): string {
  const shown = axes.filter((a) => a in params).map((a) => `${a}=${value(params[a])}`);
  return shown.length > 0 ? shown.join(' ') : 'the base';
}

/** A value for a table cell. */
export const paramText = (v: unknown): string => (v === undefined ? '-' : value(v));
