import { LAYER_COLUMNS, type LayerRow } from './layer-rows.js';

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows as CSV, with a header line; CRLF line ends, as RFC 4180 has them. */
export function layerRowsCsv(rows: readonly LayerRow[]): string {
  const lines = [LAYER_COLUMNS.join(',')];
  for (const row of rows) lines.push(LAYER_COLUMNS.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
