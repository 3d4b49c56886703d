/**
 * The one tick format of every log axis and log legend of the charts: 1e-6, 2.5e-3, 1e+2.
 * Left to itself vega labels each log axis in its own way (0.000001, 1e-6, 0.0010, 1,000), so
 * two charts of the same run read differently; one format lets the eye compare decades.
 */
export const LOG_AXIS_FORMAT = '~e';

/** The axis (or legend) properties of a log scale, with any others the chart sets. */
export function logAxis<T extends object>(extra?: T): T & { readonly format: string } {
  return { ...(extra as T), format: LOG_AXIS_FORMAT };
}

type Json = { readonly [key: string]: unknown };
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/**
 * Every log scale of a Vega-Lite spec (layers and nested layers included), where it is and the
 * tick format its axis or legend sets (undefined: vega's own). A check that a chart, or a page's
 * decoration of one, keeps to LOG_AXIS_FORMAT.
 */
export function logScaleFormats(spec: unknown): { path: string; format: unknown }[] {
  const found: { path: string; format: unknown }[] = [];
  const visit = (node: unknown, path: string) => {
    if (!isJson(node)) return;
    const encoding = isJson(node.encoding) ? node.encoding : {};
    for (const [channel, def] of Object.entries(encoding)) {
      if (!isJson(def) || !isJson(def.scale) || def.scale.type !== 'log') continue;
      const guide = channel === 'x' || channel === 'y' ? def.axis : def.legend;
      found.push({ path: `${path}.${channel}`, format: isJson(guide) ? guide.format : undefined });
    }
    if (Array.isArray(node.layer)) {
      node.layer.forEach((l, i) => {
        visit(l, `${path}.layer[${i}]${isJson(l) && l.name ? `(${String(l.name)})` : ''}`);
      });
    }
  };
  visit(spec, 'spec');
  return found;
}
