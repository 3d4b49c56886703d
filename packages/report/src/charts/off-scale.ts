import { FLOAT32_MIN_NORMAL, type NormKind, normKind, normMarker } from '@gradlab/core';

/**
 * Norms that a log scale cannot place: 0, subnormal (below float32's normal range, where
 * precision is lost and GPUs flush to 0) and non-finite. Charts draw them at the plot's edge, 0
 * and subnormal at the bottom, NaN and Infinity at the top, with a shape of their own and a
 * legend entry: a layer whose gradient died or blew up is the finding, so it must not vanish from
 * the picture the way a log scale drops it.
 *
 * Run records are JSON, which has no NaN or Infinity: a norm that was non-finite is null in a
 * record read from disk or from a bundle (a live record still holds the number).
 */

export type OffScaleKind = Exclude<NormKind, 'finite'>;

/** Drawing order, and the order of the legend. */
export const OFF_SCALE_KINDS: readonly OffScaleKind[] = ['zero', 'subnormal', 'non-finite'];

/** The legend's label of each kind (normMarker's words; NaN and Infinity share one entry). */
export const OFF_SCALE_LABEL: Readonly<Record<OffScaleKind, string>> = {
  zero: `${normMarker(0)}, bottom edge`,
  subnormal: `${normMarker(FLOAT32_MIN_NORMAL / 2)}, bottom edge`,
  'non-finite': 'NaN or Inf, top edge',
};

const SHAPE: Readonly<Record<OffScaleKind, string>> = {
  zero: 'triangle-down',
  subnormal: 'diamond',
  'non-finite': 'triangle-up',
};

/** A norm's kind; null (how JSON wrote NaN or Infinity) and undefined are non-finite. */
export function kindOf(x: number | null | undefined): NormKind {
  return typeof x === 'number' ? normKind(x) : 'non-finite';
}

/** The words for a value off the scale: "0 (exact)", "NaN", ...; null for an ordinary one. */
export function markerOf(x: number | null | undefined): string | null {
  return typeof x === 'number' ? normMarker(x) : 'NaN or Inf (null in the record)';
}

/** True for a value that the chart's log scale draws (a positive normal float32). */
export function onScale(x: number | null | undefined): x is number {
  return kindOf(x) === 'finite';
}

/** The kinds present among `kinds`, in legend order. */
export function presentKinds(kinds: Iterable<NormKind>): OffScaleKind[] {
  const seen = new Set(kinds);
  return OFF_SCALE_KINDS.filter((k) => seen.has(k));
}

/**
 * The shape encoding of off-scale points: one legend entry per kind present, saying what the
 * shape means and where it sits. `field` holds OFF_SCALE_LABEL values.
 */
export function offScaleShape(kinds: readonly OffScaleKind[], field = 'offScale') {
  return {
    field,
    type: 'nominal',
    title: 'not on the log scale',
    // Vega cuts legend labels at 160 px by default: these must be read whole.
    legend: { labelLimit: 0 },
    scale: {
      domain: kinds.map((k) => OFF_SCALE_LABEL[k]),
      range: kinds.map((k) => SHAPE[k]),
    },
  } as const;
}

/** Where a kind is drawn: the bottom edge (0, subnormal) or the top edge (NaN, Infinity). */
export function edgeOf(kind: OffScaleKind): 'bottom' | 'top' {
  return kind === 'non-finite' ? 'top' : 'bottom';
}

/** The pixel position of an edge, for a layer's y encoding. */
export const EDGE_Y = {
  bottom: { value: 'height' },
  top: { value: 0 },
} as const;

/** A log y scale; with off-scale points it keeps clear of the edges they sit on. */
export function logScale(kinds: readonly OffScaleKind[]) {
  return kinds.length > 0 ? ({ type: 'log', padding: 14 } as const) : ({ type: 'log' } as const);
}

/**
 * The point layers that draw a chart's off-scale values at its edges, one per edge that has
 * any: each value keeps its fields (for the tooltip) and gets its legend label in `offScale`.
 */
export function offScaleLayers<V extends { readonly kind: NormKind }>(
  values: readonly V[],
  kinds: readonly OffScaleKind[],
  encoding: { readonly x: object; readonly color: object; readonly tooltip: readonly object[] },
) {
  return (['bottom', 'top'] as const).flatMap((edge) => {
    const points = values.flatMap((v) =>
      v.kind !== 'finite' && edgeOf(v.kind) === edge
        ? [{ ...v, offScale: OFF_SCALE_LABEL[v.kind] }]
        : [],
    );
    return points.length === 0
      ? []
      : [
          {
            name: `off_scale_${edge}`,
            data: { values: points },
            mark: { type: 'point', filled: true, size: 90, opacity: 1 },
            encoding: {
              x: encoding.x,
              y: EDGE_Y[edge],
              color: encoding.color,
              shape: offScaleShape(kinds),
              tooltip: encoding.tooltip,
            },
          },
        ];
  });
}
