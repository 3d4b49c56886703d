/** gradlab run reports: Vega-Lite charts rendered to SVG in Node, and a self-contained HTML page. */
export { gradientFlowSpec } from './charts/gradient-flow.js';
export {
  type HeatmapCell,
  heatmapCells,
  heatmapSpec,
  MAX_HEATMAP_COLUMNS,
} from './charts/heatmap.js';
export { type LossChartOptions, lossSpec } from './charts/loss.js';
export { isRecurrent, signalSpec } from './charts/signal.js';
export { escapeHtml, renderRunReport } from './html.js';
export { describeProblem, verdictSummary } from './summary.js';
export { renderSvg, type TopLevelSpec } from './vega.js';
