import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';
import { detachInlineData } from './vega-data.js';

export type { TopLevelSpec } from 'vega-lite';

/**
 * Parsed Vega runtimes by chart shape (the spec without its data values). Compiling and
 * parsing cost more than drawing a small chart, and a sweep draws the same few chart shapes
 * for hundreds of cells, so a worker pays for each shape once. Bounded: the oldest shape
 * leaves first.
 */
const runtimes = new Map<string, vega.Runtime>();
const MAX_SHAPES = 64;

function runtimeFor(shape: TopLevelSpec): vega.Runtime {
  const key = JSON.stringify(shape);
  const cached = runtimes.get(key);
  if (cached) {
    runtimes.delete(key); // re-inserted below: most recently used last
    runtimes.set(key, cached);
    return cached;
  }
  const runtime = vega.parse(compile(shape).spec);
  runtimes.set(key, runtime);
  if (runtimes.size > MAX_SHAPES) runtimes.delete(runtimes.keys().next().value as string);
  return runtime;
}

/**
 * Renders a Vega-Lite spec to an SVG string in Node: compiled to Vega, run headless
 * (renderer 'none': no canvas, no browser, no network). Data must be inline (`data.values`);
 * it is handed to the view as named datasets, so specs of the same shape share one parse.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { shape, datasets } = detachInlineData(spec);
  const view = new vega.View(runtimeFor(shape), { renderer: 'none', logLevel: vega.Error });
  try {
    for (const [name, values] of datasets) view.data(name, values);
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** How many chart shapes are parsed and kept (for tests). */
export const cachedShapes = (): number => runtimes.size;
