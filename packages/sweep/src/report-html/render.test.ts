import { GradlabError } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import type { SweepEntry, SweepFile } from '../sweep-file.js';
import { categoryPosition } from './overlay-position.js';
import { renderSweepReport } from './render.js';

/** A done (or other) entry with figures; ids are made from a counter so every cell differs. */
let next = 0;
function entry(params: Record<string, unknown>, over: Partial<SweepEntry> = {}): SweepEntry {
  const id = (next++).toString(16).padStart(16, '0');
  const done = (over.status ?? 'done') === 'done';
  return {
    id,
    params,
    status: 'done',
    run: done ? `cells/${id}` : null,
    backend: 'cpu',
    verdict: done ? 'healthy' : null,
    worstVerdict: done ? 'healthy' : null,
    finalLoss: done ? 0.5 : null,
    accuracy: null,
    steps: done ? 3 : null,
    seconds: done ? 1.25 : null,
    layers: done
      ? [
          { name: 'dense1', gradNorm: 1e-3, ratioToLast: 1e-3, verdict: 'vanishing' },
          { name: 'output', gradNorm: 1, ratioToLast: 1, verdict: 'healthy' },
        ]
      : null,
    signalRatio: null,
    initialGradientRatio: null,
    error: null,
    attempts: done ? 1 : 0,
    finishedAt: null,
    ...over,
  };
}

/** depth {4, 8} x lr {0.1, 0.01} x mitigation {none, batchnorm} x seed {0, 1} on cpu. */
function sweep(cells: SweepEntry[]): SweepFile {
  return {
    gradlab: 1,
    kind: 'gradlab-sweep',
    name: 'hand-made',
    sweep: { gradlab: 1, name: 'hand-made', base: 'tiny' } as SweepFile['sweep'],
    axes: [
      { name: 'model.depth', values: [8, 4] },
      { name: 'training.optimizer.lr', values: [0.1, 0.01, 0.001] },
      { name: 'mitigation', values: ['none', 'batchnorm'] },
      { name: 'seed', values: [0, 1] },
      { name: 'backend', values: ['cpu'] },
    ],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    cells,
  };
}

const p = (depth: number, lr: number, mitigation: string, seed: number) => ({
  'model.depth': depth,
  'training.optimizer.lr': lr,
  mitigation,
  seed,
  backend: 'cpu',
});

/** Every combination done, except: one failed group, one pending group, one NaN loss. */
function handMade(): SweepFile {
  const cells: SweepEntry[] = [];
  for (const mitigation of ['none', 'batchnorm'])
    for (const depth of [8, 4])
      for (const lr of [0.1, 0.01, 0.001])
        for (const seed of [0, 1]) {
          const params = p(depth, lr, mitigation, seed);
          if (mitigation === 'none' && depth === 8 && lr === 0.1)
            cells.push(entry(params, { status: 'failed', error: 'worker died: SIGKILL' }));
          else if (mitigation === 'none' && depth === 8 && lr === 0.01)
            cells.push(entry(params, { status: 'pending' }));
          else if (mitigation === 'batchnorm' && depth === 8 && lr === 0.1 && seed === 1)
            // JSON keeps NaN as null: an exploding run, whose verdict says so.
            cells.push(entry(params, { finalLoss: null, verdict: 'non-finite' }));
          else if (mitigation === 'none' && depth === 4 && lr === 0.1)
            cells.push(
              entry(params, {
                finalLoss: seed === 0 ? 0.2 : 0.4,
                verdict: seed === 0 ? 'healthy' : 'vanishing',
              }),
            );
          else cells.push(entry(params));
        }
  return sweep(cells);
}

const svgs = (html: string) => html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
const captions = (html: string) =>
  [...html.matchAll(/<figcaption>([^<]*)<\/figcaption>/g)].map((m) => m[1]);

describe('renderSweepReport', () => {
  it('draws one heatmap per facet, seeds aggregated: the mean with min and max, the worst verdict', async () => {
    const html = await renderSweepReport(handMade(), { measure: 'finalLoss' });
    // x: lr (3 values), y: depth (2), facets: mitigation; the single-valued backend is fixed.
    expect(captions(html)).toEqual(['mitigation = none', 'mitigation = batchnorm']);
    expect(svgs(html)).toHaveLength(2);
    expect(html).toContain('training.optimizer.lr across, model.depth up; one per mitigation');
    expect(html).toContain('The same in every cell: backend = cpu.');
    // depth 4, lr 0.1, none: seeds 0.2 and 0.4: mean 0.3, in the tooltip and the seeds table.
    expect(html).toContain('final loss: mean 0.3 over 2 seeds (min 0.2, max 0.4)');
    expect(html).toMatch(/<td class="num" data-sort="0\.3\d*">0\.3 \(0\.2 to 0\.4\)<\/td>/);
    const verdicts = await renderSweepReport(handMade(), { measure: 'verdict' });
    expect(verdicts).toContain('verdict: worst of 2 seeds: vanishing (healthy, vanishing)');
  });

  it('marks failed and pending cells and NaN losses, never drops them', async () => {
    const html = await renderSweepReport(handMade(), { measure: 'finalLoss' });
    const none = svgs(html)[0] as string;
    expect(none).toContain('final loss: no result: failed');
    expect(none).toContain('final loss: no result yet: pending');
    expect(none).toContain('failed: no result'); // the legend
    const batchnorm = svgs(html)[1] as string;
    expect(batchnorm).toContain('final loss: NaN or Inf in 1 of 2 seeds');
    expect(batchnorm).toContain('>NaN or Inf<'); // the legend entry
    // 6 groups per facet, each a rect with its tooltip.
    for (const svg of svgs(html)) expect(svg.match(/<title>/g)).toHaveLength(6);
    // The table lists the failure with its error.
    expect(html).toContain('<span class="error" title="worker died: SIGKILL">failed</span>');
  });

  it('links each cell to its first seed’s report, relative, and lists every seed in the table', async () => {
    const file = handMade();
    const html = await renderSweepReport(file, { measure: 'verdict' });
    const hrefs = [
      ...svgs(html)
        .join('')
        .matchAll(/xlink:href="([^"]*)"/g),
    ].map((m) => m[1]);
    const firstSeeds = file.cells.filter((e) => e.params.seed === 0 && e.run !== null);
    expect(hrefs.sort()).toEqual(firstSeeds.map((e) => `${e.run}/report.html`).sort());
    for (const e of file.cells.filter((c) => c.run !== null)) {
      expect(html).toContain(`<a href="cells/${e.id}/report.html">${e.id}</a>`);
      expect(html).toContain(`<a href="cells/${e.id}/report.html">seed ${e.params.seed}</a>`);
    }
    expect(html).not.toMatch(/href="\//);
  });

  it('colours ratios by log10 and draws the default measures, without accuracy when none has it', async () => {
    const html = await renderSweepReport(handMade());
    expect(captions(html)).toHaveLength(2 * 3); // verdict, final loss, gradient ratio
    expect(html).toContain('<h2>gradient ratio, first layer / last</h2>');
    expect(html).toContain('log10 of mean');
    expect(html).not.toContain('<h2>accuracy</h2>');
  });

  it('draws the gradient ratio at initialisation where the cells have it', async () => {
    const file = handMade();
    expect(await renderSweepReport(file)).not.toContain('at initialisation');
    const withInit: SweepFile = {
      ...file,
      cells: file.cells.map((e) =>
        e.status === 'done' ? { ...e, initialGradientRatio: 2.5e-4 } : e,
      ),
    };
    const html = await renderSweepReport(withInit, { measure: 'initialGradientRatio' });
    expect(html).toContain('<h2>gradient ratio at initialisation, first layer / last</h2>');
    expect(captions(html)).toHaveLength(2);
    expect(html).toContain('2.5e-4');
  });

  it('draws overlays only on heatmaps of their axes, with a legend, clipped to the grid', async () => {
    const overlay = {
      label: 'critical line',
      x: 'training.optimizer.lr',
      y: 'model.depth',
      points: [
        { x: 0.001, y: 4 },
        { x: 100, y: 8 },
      ],
    };
    const on = await renderSweepReport(handMade(), { measure: 'finalLoss', overlays: [overlay] });
    for (const svg of svgs(on)) {
      expect(svg).toContain('aria-roledescription="line mark"');
      expect(svg).toContain('critical line');
    }
    const off = await renderSweepReport(handMade(), {
      measure: 'finalLoss',
      x: 'mitigation',
      y: 'model.depth',
      overlays: [overlay],
    });
    expect(off).not.toContain('line mark');
    expect(off).not.toContain('critical line');
  });

  it('places overlay points between category centres, piecewise linearly, clipped at the edges', () => {
    const depths = [10, 20, 40];
    expect(categoryPosition(depths, 10)).toBe(0);
    expect(categoryPosition(depths, 15)).toBe(0.5);
    expect(categoryPosition(depths, 30)).toBe(1.5);
    expect(categoryPosition(depths, 1000)).toBe(2);
    expect(categoryPosition(depths, -5)).toBe(0);
    expect(categoryPosition([7], 3)).toBe(0);
  });

  it('refuses an unknown measure or axis, naming it and listing what is allowed', async () => {
    const bad = async (options: object, words: string[]) => {
      const e = await renderSweepReport(handMade(), options).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(GradlabError);
      expect((e as GradlabError).code).toBe('INVALID_ARGUMENT');
      for (const w of words) expect((e as Error).message).toContain(w);
    };
    await bad({ measure: 'loss' }, [
      '"loss"',
      'verdict, finalLoss, accuracy, gradientRatio, initialGradientRatio, signalRatio',
    ]);
    await bad({ x: 'depth' }, [
      '"depth"',
      'model.depth, training.optimizer.lr, mitigation, backend',
    ]);
    await bad({ y: 'seed' }, ['"seed"', 'seeds are aggregated']);
    await bad({ x: 'mitigation', y: 'mitigation' }, ['same axis']);
  });

  it('draws a one-row heatmap for one varying axis, and only the table for none', async () => {
    const one = sweep([4, 8].map((d) => entry({ 'model.depth': d, seed: 0 })));
    one.axes = [
      { name: 'model.depth', values: [4, 8] },
      { name: 'seed', values: [0] },
    ];
    const row = await renderSweepReport(one, { measure: 'finalLoss' });
    expect(svgs(row)).toHaveLength(1);
    expect(svgs(row)[0]?.match(/<title>/g)).toHaveLength(2);
    const flat = sweep([entry({ seed: 0 }), entry({ seed: 1 })]);
    flat.axes = [{ name: 'seed', values: [0, 1] }];
    const table = await renderSweepReport(flat);
    expect(svgs(table)).toHaveLength(0);
    expect(table).toContain('Nothing varies but the seed');
    expect(table.match(/<tr>/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('has sortable tables: the inline sort script and sort keys, nothing fetched', async () => {
    const html = await renderSweepReport(handMade(), { measure: 'verdict' });
    expect(html).toContain('<table class="layers sortable">');
    expect(html).toContain("document.querySelectorAll('table.sortable')");
    expect(html).toContain('data-sort="1.25"');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  });
});

describe('renderSweepReport on hostile values', () => {
  it('escapes every string from sweep.json: axis values, errors, layer names', async () => {
    const hostile = '<script>alert(1)</script>';
    const file = handMade();
    const swap = (v: unknown) => (v === 'batchnorm' ? hostile : v);
    const evil: SweepFile = {
      ...file,
      axes: file.axes.map((a) => ({ ...a, values: a.values.map(swap) })),
      cells: file.cells.map((c) => ({
        ...c,
        params: Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, swap(v)])),
        error: c.error === null ? null : '<img src=x onerror=alert(2)>',
        layers: c.layers?.map((l) => ({ ...l, name: `<b>${l.name}</b>` })) ?? null,
      })),
    };
    const html = await renderSweepReport(evil, { measure: 'finalLoss' });
    expect(html).not.toContain(hostile);
    expect(html).not.toMatch(/<img|<b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
