import type { SweepFile } from '../sweep-file.js';
import { groupBySeed, type SeedGroup } from './aggregate.js';
import {
  type AxisChoice,
  chooseAxes,
  type ReportAxis,
  reportAxes,
  valueKey,
  valueLabel,
} from './axes.js';
import { colourDomain, matchingOverlays, sweepHeatmapSpec } from './heatmap-spec.js';
import { measuresWithData, NUMERIC_MEASURES, parseMeasure, type SweepMeasure } from './measures.js';
import type { SweepOverlay } from './overlay.js';
import { cellsTable, SORT_SCRIPT, seedsTable } from './tables.js';

export interface SweepReportOptions {
  /** The one measure to draw; default: the verdict and every numeric measure with data. */
  readonly measure?: string | undefined;
  /** The heatmaps' horizontal and vertical axes; default: the varying axes with most values. */
  readonly x?: string | undefined;
  readonly y?: string | undefined;
  /** Curves drawn over the heatmaps whose x and y axes are theirs. */
  readonly overlays?: readonly SweepOverlay[] | undefined;
}

const CSS = `
.sortable th{cursor:pointer;user-select:none;text-align:left}
.sortable th[data-dir=asc]::after{content:" \\25B2"}.sortable th[data-dir=desc]::after{content:" \\25BC"}
.facets{display:flex;flex-wrap:wrap;gap:0 2rem}
`;

/** The facets: one per combination of the facet axes' values that holds any group. */
function facets(groups: readonly SeedGroup[], axes: readonly ReportAxis[]) {
  const byKey = new Map<string, { title: string; groups: SeedGroup[] }>();
  for (const g of groups) {
    const key = axes.map((a) => valueKey(g.params[a.name])).join('\u0000');
    const title = axes.map((a) => `${a.name} = ${valueLabel(g.params[a.name])}`).join(', ');
    const facet = byKey.get(key) ?? { title, groups: [] };
    facet.groups.push(g);
    byKey.set(key, facet);
  }
  // In the axes' own order (numbers ascending), not the order the cells ran in.
  const rank = (g: SeedGroup) =>
    axes.map((a) => a.values.findIndex((v) => valueKey(v) === valueKey(g.params[a.name])));
  return [...byKey.values()].sort((p, q) => {
    const [a, b] = [rank(p.groups[0] as SeedGroup), rank(q.groups[0] as SeedGroup)];
    const i = a.findIndex((v, k) => v !== b[k]);
    return i < 0 ? 0 : (a[i] as number) - (b[i] as number);
  });
}

function counts(file: SweepFile): string {
  const by = new Map<string, number>();
  for (const e of file.cells) by.set(e.status, (by.get(e.status) ?? 0) + 1);
  const parts = ['done', 'failed', 'running', 'pending'].flatMap((s) =>
    by.has(s) ? [`${by.get(s)} ${s}`] : [],
  );
  return `${file.cells.length} cells: ${parts.join(', ') || 'none yet'}`;
}

function howToRead(choice: AxisChoice, seeds: boolean): string {
  const { x, y, facets } = choice;
  const axes = [x && `${x.name} across`, y && `${y.name} up`].filter(Boolean).join(', ');
  return [
    `Heatmaps: ${axes}${facets.length > 0 ? `; one per ${facets.map((f) => f.name).join(' x ')}` : ''}.`,
    seeds
      ? "Seeds are aggregated: a number is the mean over the seeds that finished, with their min and max in the cell's tooltip and in the seeds table; the verdict is the worst seed's; a NaN or Inf in any seed marks the cell."
      : '',
    "Each cell links to its run's report (its first seed's). Cells that failed or have not run are drawn in grey, never left out.",
  ].join(' ');
}

/**
 * sweep.html: heatmaps of the chosen measures over two swept axes, one per combination of the
 * other varying axes, seeds aggregated, overlays drawn on the heatmaps of their axes; then a
 * table of the groups of seeds and one of every cell, sortable by column. Self-contained (inline
 * SVG, CSS and a few lines of script, nothing fetched), with links relative to the sweep
 * directory so that it can be moved. A sweep still running or partly failed is drawn as it is.
 * Unknown measures or axes are INVALID_ARGUMENT naming the value and what is allowed.
 */
export async function renderSweepReport(
  file: SweepFile,
  options: SweepReportOptions = {},
): Promise<string> {
  const measures: SweepMeasure[] =
    options.measure === undefined ? measuresWithData(file.cells) : [parseMeasure(options.measure)];
  const choice = chooseAxes(file, { x: options.x, y: options.y });
  // Vega loads here, not when the module is imported: other commands start without it.
  const { escapeHtml: esc, figure, page } = await import('@gradlab/report');
  const axes = reportAxes(file);
  const groups = groupBySeed(file.cells, axes);
  const drawn = [choice.x, choice.y].filter((a): a is ReportAxis => a !== null);
  const shown = axes.filter((a) => a.values.length > 1 || drawn.includes(a));
  const fixed = axes.filter((a) => !shown.includes(a));
  const seeds = file.cells.some((e) => 'seed' in e.params) && groups.length < file.cells.length;
  const overlays = matchingOverlays(options.overlays ?? [], choice.x, choice.y);

  const sections: string[] = [];
  if (choice.x || choice.y) {
    const panels = facets(groups, choice.facets);
    for (const measure of measures) {
      const domain = colourDomain(groups, measure);
      const title = measure === 'verdict' ? 'verdict' : NUMERIC_MEASURES[measure].title;
      const figures = await Promise.all(
        panels.map((p) =>
          figure(
            p.title || title,
            sweepHeatmapSpec({
              measure,
              x: choice.x,
              y: choice.y,
              groups: p.groups,
              domain,
              overlays,
            }),
          ),
        ),
      );
      sections.push(`<h2>${esc(title)}</h2><div class="facets">${figures.join('')}</div>`);
    }
  }
  const body = `<h1>${esc(file.name)}</h1>
<p>${esc(counts(file))}; updated ${esc(file.updatedAt)}.${
    fixed.length > 0
      ? ` The same in every cell: ${esc(fixed.map((a) => `${a.name} = ${valueLabel(a.values[0])}`).join(', '))}.`
      : ''
  }</p>
${choice.x || choice.y ? `<p>${esc(howToRead(choice, seeds))}</p>` : '<p>Nothing varies but the seed: the table alone.</p>'}
${sections.join('\n')}
${seeds ? `<h2>Seeds aggregated</h2>${seedsTable(esc, groups, shown)}` : ''}
<h2>Every cell</h2>
${cellsTable(esc, file.cells, shown)}
${SORT_SCRIPT}`;
  return withTitles(page(`gradlab sweep: ${file.name}`, body, CSS));
}

/**
 * Static SVG has no tooltips: each heatmap cell's description (vega's aria-label) is copied
 * into a <title> child, which browsers show on hover. The label is escaped already.
 */
function withTitles(html: string): string {
  return html.replace(
    /<path aria-label="([^"]*)"( role="graphics-symbol" aria-roledescription="rect mark"[^>]*?)\/>/g,
    '<path aria-label="$1"$2><title>$1</title></path>',
  );
}
