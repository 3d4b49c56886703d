/** A progress bar's format, the width of its bar (0: no bar), and the room of its last field. */
export interface BarLayout {
  readonly format: string;
  readonly barsize: number;
  /**
   * How wide the variant's `flexible` field may be printed (null: no limit). A caller cuts
   * that field (the latest cell, what a study is doing) to this before handing it to the bar.
   */
  readonly flexRoom: number | null;
}

/** One way to show a progress line: its format, and how wide its text can get. */
export interface BarVariant {
  readonly format: string;
  /** The widest the line's text gets: everything but ` {bar} ` (the bar and a space each side). */
  readonly widestText: number;
  /**
   * The columns counted in `widestText` for a field of free text that can be cut (a message,
   * the latest cell): the room it is promised before the bar grows past its narrowest.
   */
  readonly flexible?: number;
}

/** cli-progress's default bar: as wide as there is room for, and never wider than this. */
const WIDEST_BAR = 40;
/** Narrower than this, a bar no longer shows progress at a glance: drop text, or the bar. */
const NARROWEST_BAR = 10;

/**
 * The progress line's layout for a terminal `width` columns wide (null: no limit). The bar
 * shrinks first; then each variant (less text than the one before) is tried; the last one is
 * shown without a bar, so that what it says (the verdict, the time per step) always fits.
 * One column is left free: a line that fills the last column makes some terminals wrap.
 */
export function barLayout(variants: readonly BarVariant[], width: number | null): BarLayout {
  const first = variants[0] as BarVariant;
  if (width === null) return { format: first.format, barsize: WIDEST_BAR, flexRoom: null };
  // Whatever the bar leaves goes to the flexible field: the fixed text never grows.
  const flexRoom = (v: BarVariant, textRoom: number) =>
    Math.max(0, textRoom - (v.widestText - (v.flexible ?? 0)));
  for (const v of variants) {
    // ' {bar} ' around the bar: a space each side.
    const room = width - 1 - (v.widestText + 2);
    if (room >= NARROWEST_BAR) {
      const barsize = Math.min(WIDEST_BAR, room);
      return { format: v.format, barsize, flexRoom: flexRoom(v, width - 1 - (barsize + 2)) };
    }
  }
  const last = variants.at(-1) as BarVariant;
  // Without the bar, ' {bar} ' becomes one space.
  return {
    format: last.format.replace(/ ?\{bar\} ?/, ' '),
    barsize: 0,
    flexRoom: flexRoom(last, width - 1 - 1),
  };
}
