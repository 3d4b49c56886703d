import { describe, expect, it } from 'vitest';
import type { StudyFigureInput } from '../study-input.js';
import { markItems } from '../test-support.js';
import { renderSvg } from '../vega.js';
import { studyFigureSpec, wrapTitle } from './study-figure.js';

const base = { id: 'f', title: 'A figure', x: { title: 'depth' }, y: { title: 'norm' } };

async function draw(f: StudyFigureInput): Promise<{ svg: string; dropped: number }> {
  const drawn = studyFigureSpec(f);
  if (!drawn) throw new Error('no chart');
  return { svg: await renderSvg(drawn.spec), dropped: drawn.dropped };
}

function encoding(f: StudyFigureInput): Record<string, Record<string, unknown>> {
  const drawn = studyFigureSpec(f);
  if (!drawn) throw new Error('no chart');
  return (drawn.spec as unknown as { encoding: Record<string, Record<string, unknown>> }).encoding;
}

/** The heights of the bars of a chart, in the order they were drawn (vega draws `M x,y h w v h`). */
function barHeights(svg: string): number[] {
  return [
    ...svg.matchAll(/aria-roledescription="bar" d="M[-\d.e]+,[-\d.e]+h[-\d.e]+v([-\d.e]+)h/g),
  ].map((m) => Number(m[1]));
}

/** The vertices of each drawn line, in the order its path visits them (vega draws `M x,y L x,y ...`). */
function linePaths(svg: string): [number, number][][] {
  return [...svg.matchAll(/aria-roledescription="line mark" d="([^"]+)"/g)].map((m) =>
    [...(m[1] as string).matchAll(/[ML]([-\d.e]+),([-\d.e]+)/g)].map(
      (v) => [Number(v[1]), Number(v[2])] as [number, number],
    ),
  );
}

describe('studyFigureSpec', () => {
  it('line: one line per series with its points, a legend naming each series', async () => {
    const points = ['he', 'xavier'].flatMap((series, s) =>
      [1, 2, 3, 4].map((x) => ({ series, x, y: (s + 1) * 10 ** -x })),
    );
    const { svg, dropped } = await draw({
      ...base,
      kind: 'line',
      y: { title: 'norm', log: true },
      points,
    });
    expect(dropped).toBe(0);
    expect(markItems(svg, 'figure_marks')).toBe(2);
    expect(svg).toContain('>he<');
    expect(svg).toContain('>xavier<');
    expect(svg).toContain('norm (log scale)');
    expect(
      encoding({ ...base, kind: 'line', y: { title: 'norm', log: true }, points }).y,
    ).toMatchObject({
      type: 'quantitative',
      scale: { type: 'log' },
    });
  });

  it('line with path: joins the points in the order given (a trajectory), not sorted by x', async () => {
    // x goes 0, 2, 1 and y 0, 1, 2: on a 560 x 280 plot (y grows downwards) the path runs
    // (0, 280) -> (560, 140) -> (280, 0); sorted by x it would run (0, 280) -> (280, 0) -> (560, 140).
    const trajectory = [
      { series: 'walk', x: 0, y: 0 },
      { series: 'walk', x: 2, y: 1 },
      { series: 'walk', x: 1, y: 2 },
    ];
    const drawn = linePaths(
      (await draw({ ...base, kind: 'line', path: true, points: trajectory })).svg,
    );
    expect(drawn).toEqual([
      [
        [0, 280],
        [560, 140],
        [280, 0],
      ],
    ]);
    const sorted = linePaths((await draw({ ...base, kind: 'line', points: trajectory })).svg);
    expect(sorted[0]?.map(([x]) => x)).toEqual([0, 280, 560]);
    // Two paths: each keeps its own order.
    const two = linePaths(
      (
        await draw({
          ...base,
          kind: 'line',
          path: true,
          points: [...trajectory, ...trajectory.map((p) => ({ ...p, series: 'back', x: 2 - p.x }))],
        })
      ).svg,
    );
    expect(two.map((line) => line.map(([x]) => x))).toEqual([
      [0, 560, 280],
      [560, 0, 280],
    ]);
  });

  it('point: one mark per point; categorical x keeps the order of the points', async () => {
    const points = ['c', 'a', 'b'].map((x, i) => ({ series: 's', x, y: i }));
    const f: StudyFigureInput = { ...base, kind: 'point', points };
    const { svg } = await draw(f);
    expect(markItems(svg, 'figure_marks')).toBe(3);
    expect(encoding(f).x).toMatchObject({ type: 'ordinal', sort: ['c', 'a', 'b'] });
    expect(encoding(f).color).toBeUndefined(); // one series: no legend
  });

  it('bar: bars side by side per series, on a log axis too, each as tall as its value', async () => {
    const points = ['relu', 'tanh'].flatMap((series) =>
      [10, 20, 30].map((x) => ({ series, x, y: x * (series === 'relu' ? 1 : 1e-3) })),
    );
    const f: StudyFigureInput = { ...base, kind: 'bar', y: { title: 'norm', log: true }, points };
    const { svg } = await draw(f);
    expect(markItems(svg, 'figure_marks')).toBe(6);
    // On a log axis a bar's height is log(value) above the baseline (a power of ten below the
    // smallest value, 1e-3 here): every bar visible, heights in proportion to log(value / 1e-3).
    const heights = barHeights(svg);
    const logs = points.map((p) => Math.log10((p.y as number) / 1e-3));
    expect(heights).toHaveLength(6);
    for (const [i, h] of heights.entries()) {
      expect(h / (heights[0] as number)).toBeCloseTo((logs[i] as number) / (logs[0] as number), 2);
    }
    const linear = barHeights((await draw({ ...f, y: { title: 'norm' } })).svg);
    for (const [i, h] of linear.entries()) {
      expect(h / (linear[0] as number)).toBeCloseTo((points[i]?.y as number) / 10, 2);
    }
    expect(encoding(f).xOffset).toMatchObject({ field: 'series' });
    expect(encoding(f).x).toMatchObject({ type: 'ordinal', sort: ['10', '20', '30'] });
  });

  it('heatmap: one cell per (x, y), coloured by value on a log scale when asked', async () => {
    const points = [1, 2, 3].flatMap((x) =>
      ['a', 'b'].map((y) => ({ series: 'v', x, y, value: x * 10 })),
    );
    const f: StudyFigureInput = {
      ...base,
      kind: 'heatmap',
      value: { title: 'ratio', log: true },
      points,
    };
    const { svg } = await draw(f);
    expect(markItems(svg, 'figure_marks')).toBe(6);
    expect(svg).toContain('ratio');
    expect(encoding(f).color).toMatchObject({ field: 'value', scale: { type: 'log' } });
  });

  it('log axes drop zero, negative and non-finite values, and count them; no crash', async () => {
    const points = [
      { series: 's', x: 1, y: 1 },
      { series: 's', x: 2, y: 0 },
      { series: 's', x: 3, y: -5 },
      { series: 's', x: 4, y: Number.NaN },
      { series: 's', x: 5, y: null },
      { series: 's', x: 0, y: 3 },
      { series: 's', x: 7, y: 1e-30 },
    ];
    for (const kind of ['line', 'point', 'bar'] as const) {
      const { svg, dropped } = await draw({
        ...base,
        kind,
        x: { title: 'x', log: kind !== 'bar' },
        y: { title: 'y', log: true },
        points,
      });
      expect(svg.startsWith('<svg')).toBe(true);
      // bar: x is a category, so x = 0 stays; line/point: x = 0 has no logarithm either.
      expect(dropped, kind).toBe(kind === 'bar' ? 4 : 5);
    }
    const heat = await draw({
      ...base,
      kind: 'heatmap',
      value: { title: 'v', log: true },
      points: [
        { series: 's', x: 'a', y: 'b', value: 0 },
        { series: 's', x: 'a', y: 'c', value: 2 },
      ],
    });
    expect(heat.dropped).toBe(1);
    expect(markItems(heat.svg, 'figure_marks')).toBe(1);
  });

  it('a linear axis keeps zero and negative values but not non-finite ones', () => {
    const drawn = studyFigureSpec({
      ...base,
      kind: 'line',
      points: [
        { series: 's', x: 1, y: 0 },
        { series: 's', x: 2, y: -1 },
        { series: 's', x: 3, y: Number.POSITIVE_INFINITY },
      ],
    });
    expect(drawn?.dropped).toBe(1);
  });

  it('wraps a long y title into lines, so the chart keeps its height', async () => {
    const title = '||dL/dh|| relative to the last hidden layer, geometric mean over seeds';
    const lines = wrapTitle(title, 36) as string[];
    expect(lines.join(' ')).toBe(title);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(36);
    expect(wrapTitle('short', 36)).toBe('short');
    const { svg } = await draw({
      ...base,
      kind: 'line',
      y: { title, log: true },
      points: [1, 2, 3].map((x) => ({ series: 's', x, y: x })),
    });
    const height = Number(svg.match(/<svg[^>]* height="([\d.]+)"/)?.[1]);
    expect(height).toBeGreaterThan(280);
    expect(height).toBeLessThan(360);
  });

  it('is null without points', () => {
    expect(studyFigureSpec({ ...base, kind: 'line', points: [] })).toBeNull();
  });
});
