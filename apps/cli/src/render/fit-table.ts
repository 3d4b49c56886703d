import Table from 'cli-table3';
import { renderedWidth } from './width.js';

/** One column of a table that narrows to fit: how to show it, and how it gives way. */
export interface FitColumn<Row> {
  readonly head: string;
  /** A shorter heading, tried before any column is dropped. */
  readonly short?: string;
  readonly align?: 'left' | 'right';
  readonly cell: (row: Row) => string;
  /**
   * When the table is too wide, columns with a `drop` rank are dropped, 1 first, then 2, ...
   * Columns without one are what the table is for: they are always shown.
   */
  readonly drop?: number;
}

function render<Row>(
  columns: readonly FitColumn<Row>[],
  rows: readonly Row[],
  color: boolean,
  short: boolean,
): string {
  const table = new Table({
    head: columns.map((c) => (short && c.short) || c.head),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    // No rule between rows: long tables stay readable.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const r of rows) table.push(columns.map((c) => c.cell(r)));
  return table.toString();
}

/**
 * The one width policy of gradlab's tables: the full table when it fits (or there is no width:
 * pipes, files, CI, --wide); else the short headings; else the columns are dropped in their
 * `drop` order until it fits. The columns without a rank stay even if the table is still too
 * wide: a table without them would say nothing.
 */
export function fitTable<Row>(
  columns: readonly FitColumn<Row>[],
  rows: readonly Row[],
  color: boolean,
  width: number | null,
): string {
  const full = render(columns, rows, color, false);
  if (width === null || renderedWidth(full) <= width) return full;
  let shown = [...columns];
  let table = render(shown, rows, color, true);
  const ranks = [...new Set(columns.flatMap((c) => (c.drop === undefined ? [] : [c.drop])))].sort(
    (a, b) => a - b,
  );
  for (const rank of ranks) {
    if (renderedWidth(table) <= width) break;
    shown = shown.filter((c) => c.drop !== rank);
    table = render(shown, rows, color, true);
  }
  return table;
}
