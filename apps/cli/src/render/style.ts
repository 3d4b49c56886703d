import { styleText } from 'node:util';
import type { Verdict } from '@gradlab/core';
import { formatNumber, formatPercent, normKind } from '@gradlab/core';

type Color = Parameters<typeof styleText>[0];

/** Colour only on a terminal that wants it (NO_COLOR, FORCE_COLOR as usual). */
export function colorEnabled(stream: NodeJS.WritableStream): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean((stream as NodeJS.WriteStream).isTTY);
}

export function paint(enabled: boolean, color: Color, text: string): string {
  return enabled ? styleText(color, text) : text;
}

const VERDICT_COLORS: Record<Verdict, Color> = {
  healthy: 'green',
  vanishing: 'yellow',
  exploding: 'red',
  'non-finite': ['bold', 'red'] as unknown as Color,
};

export function paintVerdict(enabled: boolean, v: Verdict): string {
  return paint(enabled, VERDICT_COLORS[v], v);
}

/**
 * 1.23e-4 style for norms, which span dozens of orders of magnitude: core's `formatNumber` in
 * scientific notation, three significant digits always, so table columns align.
 */
export const sci = (x: number | null): string => formatNumber(x, { notation: 'scientific' });

/**
 * A norm as measured: `0` only when every entry was exactly 0, `<1.2e-38` for a subnormal
 * float32 result (precision lost, flushed to 0 on GPUs), NaN/Inf as such.
 */
export function normCell(x: number | null): string {
  if (x === null) return '-';
  return normKind(x) === 'subnormal' ? '<1.2e-38' : sci(x);
}

/** 12.3% for a fraction (core's `formatPercent`); '-' when not measured. */
export const pct = (x: number | null | undefined): string => formatPercent(x);

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A sparkline of log10 of positive values; non-finite or zero values show as '!'/'_'. */
export function logSparkline(values: readonly number[]): string {
  const logs = values.map((v) => (v > 0 && Number.isFinite(v) ? Math.log10(v) : null));
  const finite = logs.filter((l): l is number => l !== null);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return logs
    .map((l, i) => {
      if (l === null) return Number.isFinite(values[i] as number) ? '_' : '!';
      const k =
        hi === lo ? BLOCKS.length - 1 : Math.round(((l - lo) / (hi - lo)) * (BLOCKS.length - 1));
      return BLOCKS[k];
    })
    .join('');
}
