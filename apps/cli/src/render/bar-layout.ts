/** A progress bar's format, and the width of its bar in characters (0: no bar). */
export interface BarLayout {
  readonly format: string;
  readonly barsize: number;
}

/** One way to show a progress line: its format, and how wide its text can get (bar aside). */
export interface BarVariant {
  readonly format: string;
  readonly widestText: number;
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
  if (width === null) return { format: first.format, barsize: WIDEST_BAR };
  for (const v of variants) {
    // ' {bar} ' around the bar: a space each side.
    const room = width - 1 - (v.widestText + 2);
    if (room >= NARROWEST_BAR) return { format: v.format, barsize: Math.min(WIDEST_BAR, room) };
  }
  const last = variants.at(-1) as BarVariant;
  return { format: ` ${last.format.replace(/^\s*\{bar\}\s*/, '')}`, barsize: 0 };
}
