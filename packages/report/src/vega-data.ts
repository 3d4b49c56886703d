import type { TopLevelSpec } from 'vega-lite';

/** A spec with its inline data replaced by references to named datasets, and those datasets. */
export interface DetachedSpec {
  readonly shape: TopLevelSpec;
  readonly datasets: ReadonlyMap<string, readonly unknown[]>;
}

const PREFIX = 'gradlab_data_';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Replaces every inline `data: { values: [...] }` of a Vega-Lite spec (top level, layers,
 * concatenations, facets: wherever a `data` property holds an array of values) with
 * `data: { name: 'gradlab_data_<i>', ...the rest }`, numbered in the order met. Two specs that
 * differ only in their values then have the same shape. The input is not changed; the values
 * arrays are passed on, not copied.
 */
export function detachInlineData(spec: TopLevelSpec): DetachedSpec {
  const datasets = new Map<string, readonly unknown[]>();
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isRecord(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'data' && isRecord(value) && Array.isArray(value.values)) {
        const { values, ...rest } = value;
        const name = `${PREFIX}${datasets.size}`;
        datasets.set(name, values);
        out[key] = { ...rest, name };
      } else {
        out[key] = walk(value);
      }
    }
    return out;
  };
  return { shape: walk(spec) as TopLevelSpec, datasets };
}
