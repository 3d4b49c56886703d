import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';
import { detachInlineData } from './vega-data.js';

export type { TopLevelSpec } from 'vega-lite';

/**
 * A live headless view for each chart shape (the spec without its data values), and the
 * drawing in progress on it. Compiling, parsing and building a view cost more than drawing a
 * small chart, and a sweep draws the same few chart shapes for hundreds of cells, so a worker
 * pays for each shape once and then only swaps the data. Bounded: the least recently used
 * shape leaves first.
 */
interface Slot {
  readonly view: vega.View;
  /** Drawings on one view run one after another: each swaps in its own data. */
  busy: Promise<unknown>;
}
const slots = new Map<string, Slot>();
const MAX_SHAPES = 32;

function slotFor(shape: TopLevelSpec): Slot {
  const key = JSON.stringify(shape);
  const cached = slots.get(key);
  if (cached) {
    slots.delete(key); // re-inserted below: most recently used last
    slots.set(key, cached);
    return cached;
  }
  const view = new vega.View(vega.parse(compile(shape).spec), {
    renderer: 'none',
    logLevel: vega.Error,
  });
  const slot: Slot = { view, busy: Promise.resolve() };
  slots.set(key, slot);
  if (slots.size > MAX_SHAPES) {
    const [oldest, evicted] = slots.entries().next().value as [string, Slot];
    slots.delete(oldest);
    void evicted.busy.finally(() => evicted.view.finalize());
  }
  return slot;
}

/**
 * Renders a Vega-Lite spec to an SVG string in Node: compiled to Vega, run headless
 * (renderer 'none': no canvas, no browser, no network). Data must be inline (`data.values`);
 * it is handed to the view as named datasets, so specs of the same shape share one view.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { shape, datasets } = detachInlineData(spec);
  const slot = slotFor(shape);
  const drawing = slot.busy.then(async () => {
    // Replaces the rows of the previous drawing (a kept view holds its last chart's rows).
    for (const [name, values] of datasets) slot.view.data(name, values);
    return slot.view.toSVG();
  });
  slot.busy = drawing.catch(() => {});
  return drawing;
}

/** How many chart shapes are parsed and kept (for tests). */
export const cachedShapes = (): number => slots.size;
