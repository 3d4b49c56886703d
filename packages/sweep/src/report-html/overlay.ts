/**
 * A curve drawn over a sweep's heatmap: a prediction (mean-field theory's critical line, the
 * 6·xi_c depth scale) in the units of two of the sweep's axes. The sweep report places it by
 * interpolating between the grid's numeric axis values, so it need not fall on a grid value.
 */
export interface SweepOverlay {
  /** The legend entry: "critical sigma_w^2 = 1.76", "depth = 6 xi_c". */
  readonly label: string;
  /** The axis it is drawn against horizontally, as sweep.json names it ("model.init.gain"). */
  readonly x: string;
  /** ... and vertically ("model.depth"). */
  readonly y: string;
  /** The curve, in axis values; a vertical line is two points with the same x. */
  readonly points: readonly { readonly x: number; readonly y: number }[];
}
