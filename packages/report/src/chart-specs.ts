/**
 * The browser-safe part of @gradlab/report ("@gradlab/report/charts"): the Vega-Lite chart specs
 * and the verdict in words, with no Node module (no file system, no headless Chromium), so a
 * page can draw the same charts as report.html with vega and vega-lite.
 */
export { clippingSpec, clipShare } from './charts/clipping.js';
export {
  type BackendDiffLayer,
  type BackendDiffOptions,
  backendDiffSpec,
  type ComparisonVariant,
  comparisonFlowSpec,
  comparisonLossSpec,
} from './charts/comparison.js';
export { gradientFlowSpec } from './charts/gradient-flow.js';
export {
  type HeatmapCell,
  heatmapCells,
  heatmapSpec,
  MAX_HEATMAP_COLUMNS,
} from './charts/heatmap.js';
export { learningRateSpec } from './charts/learning-rate.js';
export { LOG_AXIS_FORMAT, logAxis, logScaleFormats } from './charts/log-axis.js';
export { type LossChartOptions, lossSpec } from './charts/loss.js';
export { isRecurrent, signalSpec } from './charts/signal.js';
export { DEFAULT_SMOOTHING, emaSmooth } from './charts/smoothing.js';
export { stepAxis } from './charts/step-axis.js';
export { type StudyFigureSpec, studyFigureSpec } from './charts/study-figure.js';
export {
  DEPTH_COLOURS,
  type UnitHealthPoint,
  unitHealthPoints,
  unitHealthSpec,
} from './charts/unit-health.js';
export { normText, pct, sci } from './data.js';
export { describeProblem, slopePerLayer, verdictSummary } from './summary.js';
