import type { LayerRow } from './layer-rows.js';

/** The rows as JSON Lines, one object per line, keys in the CSV's column order. */
export function layerRowsJsonl(rows: readonly LayerRow[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}
