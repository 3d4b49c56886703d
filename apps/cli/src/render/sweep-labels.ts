import { type Cell, sweepAxes } from '@gradlab/sweep';
import { printable } from './printable.js';

/** The params that differ between cells: what tells one cell from another in a line. */
export function varyingAxes(cells: readonly Cell[]): string[] {
  return sweepAxes(cells)
    .filter((a) => a.values.length > 1)
    .map((a) => a.name);
}

/**
 * A param's value on one line, no control character raw: a grid may vary a free-text field (a
 * spec's name), and an escape sequence there must not recolour or retitle the terminal.
 */
const value = (v: unknown) =>
  printable(typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)))
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t');

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
