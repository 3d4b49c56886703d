import type { StudyTable } from '../study.js';

/** How one column fills its cell from a row. */
export type Column<R> = (row: R) => string | number | null;

/**
 * A table from its rows and its columns, each a header with the cell it shows for a row: the
 * header and what goes under it are written once, side by side, and cannot fall out of step.
 */
export function tableOf<R>(
  id: string,
  title: string,
  rows: readonly R[],
  columns: Readonly<Record<string, Column<R>>>,
): StudyTable {
  const cells = Object.values(columns);
  return {
    id,
    title,
    columns: Object.keys(columns),
    rows: rows.map((row) => cells.map((cell) => cell(row))),
  };
}
