import { stripVTControlCharacters } from 'node:util';

// Set once per process by --wide, before the command runs: every table and line then prints
// in full, as it does when piped, without each command having to pass the choice down.
let fullWidth = false;

/** `--wide`: from now on, tables show every column and lines are not wrapped. */
export function showFullWidth(): void {
  fullWidth = true;
}

/**
 * The width tables and progress lines must fit in, or null for "no limit" (pipes, files, CI,
 * --wide: the full table). A terminal's own width first, then COLUMNS when it is set.
 */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number | null {
  if (fullWidth) return null;
  if (stream.isTTY && stream.columns > 0) return stream.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : null;
}

/** The widest line of a rendered block, colours aside. */
export function renderedWidth(text: string): number {
  let widest = 0;
  for (const line of text.split('\n')) {
    widest = Math.max(widest, stripVTControlCharacters(line).length);
  }
  return widest;
}

/** Column widths (padding included) for a table whose last column takes what is left. */
export function flexWidths(
  fixed: readonly number[],
  full: number,
  width: number | null,
  min = 20,
): number[] {
  // Each column has a border on its left, and the table one on its right.
  const rest = width === null ? full : width - fixed.reduce((a, b) => a + b, 0) - fixed.length - 2;
  return [...fixed, Math.max(min, Math.min(full, rest))];
}

/**
 * Wraps a line of prose at spaces so that it fits in `width` (unchanged without one). `hang`
 * starts each continuation line, so that a wrapped item stays under its own indent.
 */
export function fitLine(text: string, width: number | null, hang = ''): string {
  if (width === null || renderedWidth(text) <= width) return text;
  const lines: string[] = [];
  const [first, ...words] = text.split(' ');
  // The first word keeps the spaces before it: an indented line stays indented.
  let line = first as string;
  for (const word of words) {
    const next = `${line} ${word}`;
    if (line.trim() !== '' && renderedWidth(next) > width) {
      lines.push(line);
      line = `${hang}${word}`;
    } else line = next;
  }
  lines.push(line);
  return lines.join('\n');
}

/** Free text cut to `room` columns, "…" marking the cut; empty where not even that fits. */
export function clip(text: string, room: number | null): string {
  if (room === null || [...text].length <= room) return text;
  return room < 2 ? '' : `${[...text].slice(0, room - 1).join('')}…`;
}
