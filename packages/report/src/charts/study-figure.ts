import type { TopLevelSpec } from 'vega-lite';
import type { StudyAxisInput, StudyFigureInput, StudyFigurePointInput } from '../study-input.js';
import { logAxis } from './log-axis.js';

/** A study figure as Vega-Lite, and how many of its points could not be drawn. */
export interface StudyFigureSpec {
  readonly spec: TopLevelSpec;
  /** Points left out: not finite on a numeric axis, or not positive on a log axis. */
  readonly dropped: number;
}

type Channel = 'series' | 'x' | 'y' | 'value';

/** Categories in order of first appearance: the order the study produced them in. */
function appearance(points: readonly StudyFigurePointInput[], channel: Channel): string[] {
  const seen: string[] = [];
  for (const p of points) {
    const v = String(p[channel]);
    if (!seen.includes(v)) seen.push(v);
  }
  return seen;
}

/** A channel is numeric when every point has a number there (null counts as a missing number). */
function numeric(points: readonly StudyFigurePointInput[], channel: Channel): boolean {
  return points.every((p) => p[channel] === null || typeof p[channel] === 'number');
}

/**
 * Whether a point can be drawn on a numeric channel: its number must be finite, and positive
 * when the axis is logarithmic (log 0 and the log of a negative number do not exist). Points
 * that cannot are left out and counted, never clamped: a clamped point would show a value that
 * was not measured.
 */
function drawable(v: unknown, log: boolean | undefined): boolean {
  return typeof v === 'number' && Number.isFinite(v) && (!log || v > 0);
}

/**
 * An axis title as lines that fit along its axis: vega does not wrap, and a rotated y title
 * longer than the chart's height pushes the chart's bounds open above and below.
 */
export function wrapTitle(text: string, maxChars: number): string | string[] {
  if (text.length <= maxChars) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** Characters of an axis title per line: about 7 px a character at vega's 11 px bold, with a margin. */
const TITLE_CHARS = { x: 80, y: 36 } as const;

function axis(
  channel: 'x' | 'y',
  a: StudyAxisInput,
  isNumeric: boolean,
  categories: readonly string[],
  discrete: boolean,
) {
  if (isNumeric && !discrete) {
    return {
      field: channel,
      type: 'quantitative',
      title: wrapTitle(a.log ? `${a.title} (log scale)` : a.title, TITLE_CHARS[channel]),
      scale: a.log ? { type: 'log' } : { zero: false },
      ...(a.log ? { axis: logAxis() } : {}),
    } as const;
  }
  return {
    field: channel,
    type: 'ordinal',
    title: wrapTitle(a.title, TITLE_CHARS[channel]),
    sort: [...categories],
  } as const;
}

/**
 * One generic translation of a study's figure into Vega-Lite: `line` (one line per series, with
 * its points), `point` (a scatter), `bar` (bars side by side per series) and `heatmap` (x and y
 * are categories, `value` the colour). A `line` with `path` joins its points in the order given
 * (a trajectory in the x, y plane) instead of sorting them by x. An axis is numeric when every
 * point has a number there, otherwise categorical in the order the points came. Log axes and
 * log colour scales drop the points they cannot draw (0, negative, non-finite): `dropped` says
 * how many, for the caption. Series get distinct colours and a legend when there is more than
 * one. Null without points.
 */
export function studyFigureSpec(f: StudyFigureInput): StudyFigureSpec | null {
  const all = f.points ?? [];
  if (all.length === 0) return null;
  const heatmap = f.kind === 'heatmap';
  const bar = f.kind === 'bar';
  // Heatmaps and bars place categories on x; a numeric x is then a category too.
  const xNumeric = numeric(all, 'x') && !heatmap && !bar;
  const yNumeric = numeric(all, 'y') && !heatmap;
  const points = all.filter(
    (p) =>
      (!xNumeric || drawable(p.x, f.x.log)) &&
      (!yNumeric || drawable(p.y, f.y.log)) &&
      (!heatmap || drawable(p.value, f.value?.log)),
  );
  const dropped = all.length - points.length;
  // A path's points keep their place in the study's list: the line joins them in that order.
  const path = f.kind === 'line' && f.path === true;
  const values = points.map((p, i) => ({
    series: p.series,
    x: xNumeric ? p.x : String(p.x),
    y: yNumeric ? p.y : String(p.y),
    ...(heatmap ? { value: p.value } : {}),
    ...(path ? { order: i } : {}),
  }));
  const series = appearance(points, 'series');
  const xCategories = appearance(points, 'x');
  const yCategories = appearance(points, 'y');
  const encoding: Record<string, unknown> = {
    x: axis('x', f.x, xNumeric, xCategories, heatmap || bar),
    y: axis('y', f.y, yNumeric, yCategories, heatmap),
    tooltip: [
      { field: 'series', type: 'nominal' },
      { field: 'x', type: xNumeric ? 'quantitative' : 'ordinal', title: f.x.title },
      { field: 'y', type: yNumeric ? 'quantitative' : 'ordinal', title: f.y.title },
      ...(heatmap ? [{ field: 'value', type: 'quantitative', title: f.value?.title }] : []),
    ],
  };
  // Vega-Lite sorts a line's points by x; `order` keeps a trajectory in the order it was walked.
  if (path) encoding.order = { field: 'order', type: 'quantitative' };
  if (bar && yNumeric && values.length > 0) {
    // A bar's length means something only from a baseline below every bar: 0 on a linear axis,
    // and on a log axis (which has no 0, and where stacked bars would vanish) the power of ten
    // below the smallest value.
    const least = Math.min(...values.map((v) => v.y as number));
    encoding.y = {
      ...(encoding.y as object),
      stack: null,
      scale: f.y.log
        ? { type: 'log', domainMin: 10 ** Math.floor(Math.log10(least) - 1e-9) }
        : { zero: true },
      ...(f.y.log ? { axis: logAxis() } : {}),
    };
  }
  if (heatmap) {
    encoding.color = {
      field: 'value',
      type: 'quantitative',
      title: f.value?.title ?? 'value',
      scale: { scheme: 'viridis', ...(f.value?.log ? { type: 'log' } : {}) },
      ...(f.value?.log ? { legend: logAxis() } : {}),
    };
  } else if (series.length > 1) {
    encoding.color = {
      field: 'series',
      type: 'nominal',
      sort: series,
      title: null,
      // Series names are often sentences ("momentum 0.9, step 1e-3"): show them whole.
      legend: { labelLimit: 360 },
    };
    if (bar) encoding.xOffset = { field: 'series', type: 'nominal', sort: series };
  }
  const mark =
    f.kind === 'line'
      ? { type: 'line', point: { filled: true, size: 30 } }
      : f.kind === 'point'
        ? { type: 'point', filled: true, size: 40 }
        : f.kind === 'bar'
          ? { type: 'bar' }
          : { type: 'rect' };
  const step = heatmap ? Math.max(8, Math.min(40, Math.floor(640 / xCategories.length))) : null;
  return {
    dropped,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      name: 'figure',
      width: step ? { step } : bar ? { step: Math.max(36, 18 * Math.min(series.length, 6)) } : 560,
      height: heatmap
        ? { step: Math.max(8, Math.min(24, Math.floor(480 / yCategories.length))) }
        : 280,
      data: { values },
      mark,
      encoding,
    } as TopLevelSpec,
  };
}
