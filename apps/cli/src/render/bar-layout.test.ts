import { describe, expect, it } from 'vitest';
import { barLayout } from './bar-layout.js';
import { benchBarVariants } from './bench-progress.js';
import { studyBarVariants } from './study-progress.js';
import { sweepBarVariants } from './sweep-progress.js';

/** The widest line a layout draws: its fixed text, the bar and its spaces, the flexible field. */
function widest(
  variants: ReturnType<typeof sweepBarVariants>,
  layout: ReturnType<typeof barLayout>,
): number {
  const v = variants.find((x) => x.format === layout.format) ?? (variants.at(-1) as never);
  const fixed = v.widestText - (v.flexible ?? 0);
  const bar = layout.barsize > 0 ? layout.barsize + 2 : 1;
  return fixed + bar + (layout.flexRoom ?? 0);
}

describe('the flexible field of a progress line gets what the bar leaves', () => {
  const kinds = {
    sweep: sweepBarVariants(1000),
    verify: studyBarVariants('[12/12] pretraining'),
    bench: benchBarVariants(800),
  };
  for (const [kind, variants] of Object.entries(kinds)) {
    it(`${kind}: from 80 to 200 columns, the line never reaches the last column`, () => {
      for (let width = 80; width <= 200; width++) {
        const layout = barLayout(variants, width);
        expect(widest(variants, layout), `${kind} at ${width}`).toBeLessThanOrEqual(width - 1);
      }
    });
  }

  it('sweep: the running count goes first, then the word "cells", then the bar', () => {
    // 100 cells: "100/100 cells | 100 failed | 100 running | ETA 123h59m | " and the latest.
    const at = (w: number) => barLayout(sweepBarVariants(100), w).format;
    expect(at(120)).toContain('cells | {failed} failed | {running} running');
    expect(at(100)).not.toContain('running');
    expect(at(100)).toContain('cells');
    expect(at(85)).not.toContain('cells');
    expect(at(85)).toContain('{bar}');
    expect(at(80)).not.toContain('{bar}');
    for (const w of [80, 85, 100, 120]) {
      expect(at(w)).toMatch(/\{value\}\/\{total\}.* \{failed\} failed.* \| ETA \S+ \| \{latest\}$/);
      // The latest cell still has the room it is promised.
      expect(barLayout(sweepBarVariants(100), w).flexRoom).toBeGreaterThanOrEqual(30);
    }
  });

  it('verify: the message is cut first, then dropped; the name, percentage and ETA stay', () => {
    const variants = studyBarVariants('[3/12] deep-linear');
    expect(barLayout(variants, 120).flexRoom).toBeGreaterThan(
      barLayout(variants, 80).flexRoom ?? 0,
    );
    expect(barLayout(variants, 60).format).not.toContain('{message}');
    for (const w of [50, 60, 80]) {
      expect(barLayout(variants, w).format).toMatch(/\[3\/12\] deep-linear .*% \| ETA/);
    }
  });

  it('without a width (--wide, pipes): the first variant, a full bar, no cut', () => {
    expect(barLayout(sweepBarVariants(10), null)).toMatchObject({ barsize: 40, flexRoom: null });
  });
});
