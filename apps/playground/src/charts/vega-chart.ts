import type { TopLevelSpec } from 'vega-lite';
import { fitWidth } from './live-specs.js';

const loadVega = () => Promise.all([import('vega'), import('vega-lite')]);
type VegaModule = Awaited<ReturnType<typeof loadVega>>[0];
type View = InstanceType<VegaModule['View']>;

/** Every inline `data.values` array of a Vega-Lite spec, in one fixed walk order. */
function inlineValues(node: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(node)) {
    for (const item of node) inlineValues(item, out);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'values' && Array.isArray(value)) out.push(value);
      else inlineValues(value, out);
    }
  }
  return out;
}

/** The spec without its data: two specs with the same shape differ only in their values. */
const shapeOf = (spec: TopLevelSpec): string =>
  JSON.stringify(spec, (key, value) => (key === 'values' && Array.isArray(value) ? null : value));

/**
 * One chart on the page, drawn with vega (as SVG, or on a canvas). The first drawing (and any whose spec changes
 * shape: a new title, a new colour order, a new width) compiles the Vega-Lite spec and builds a
 * view, off the page, then swaps it in. A spec of the same shape only streams its new values
 * into the existing view's data sets (view.data), and vega redraws just what changed: building
 * a view costs tens to hundreds of milliseconds, a data change a fraction of that.
 */
export class VegaChart {
  readonly #container: HTMLElement;
  readonly #renderer: 'svg' | 'canvas';
  #view: View | null = null;
  #shape = '';
  /** Compiled data set name -> index of its array in inlineValues(spec). */
  #sources: { name: string; index: number }[] = [];
  /** Counts clear() calls: a drawing that was cleared while it was being built is dropped. */
  #generation = 0;

  /** `canvas` for charts of thousands of marks (the heatmap), which SVG redraws slowly. */
  constructor(container: HTMLElement, renderer: 'svg' | 'canvas' = 'svg') {
    this.#container = container;
    this.#renderer = renderer;
  }

  async show(input: TopLevelSpec): Promise<void> {
    const generation = this.#generation;
    const spec = fitWidth(input, this.#container.clientWidth || 600);
    const shape = shapeOf(spec);
    const values = inlineValues(spec);
    if (this.#view && shape === this.#shape) {
      for (const { name, index } of this.#sources) this.#view.data(name, values[index] as object[]);
      await this.#view.runAsync();
      return;
    }
    const [vega, vegaLite] = await loadVega();
    const compiled = vegaLite.compile(spec).spec;
    // Vega-Lite keeps the inline arrays as they are: find which data set holds which.
    const sources = (compiled.data ?? []).flatMap((d) => {
      const index = 'values' in d ? values.indexOf(d.values as unknown[]) : -1;
      return index >= 0 ? [{ name: d.name, index }] : [];
    });
    const target = document.createElement('div');
    const view = new vega.View(vega.parse(compiled), {
      renderer: this.#renderer,
      container: target,
      hover: true,
      logLevel: vega.Error,
    });
    await view.runAsync();
    if (generation !== this.#generation) {
      view.finalize();
      return;
    }
    this.#container.replaceChildren(target);
    this.#view?.finalize();
    this.#view = view;
    this.#shape = shape;
    this.#sources = sources;
  }

  clear(): void {
    this.#generation += 1;
    this.#view?.finalize();
    this.#view = null;
    this.#shape = '';
    this.#container.replaceChildren();
  }
}
