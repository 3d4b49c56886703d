/** gradlab run reports: Vega-Lite charts rendered to SVG in Node, and a self-contained HTML page. */
export { clippingSpec, clipShare } from './charts/clipping.js';
export {
  type BackendDiffLayer,
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
export { type LossChartOptions, lossSpec } from './charts/loss.js';
export { isRecurrent, signalSpec } from './charts/signal.js';
export { type StudyFigureSpec, studyFigureSpec } from './charts/study-figure.js';
export { type UnitHealthPoint, unitHealthPoints, unitHealthSpec } from './charts/unit-health.js';
export {
  type BackendComparisonJson,
  type BackendComparisonJsonBackend,
  type ComparisonJson,
  type ComparisonJsonRow,
  renderBackendComparisonReport,
  renderComparisonReport,
  writeBackendComparisonReport,
  writeComparisonReport,
} from './comparison.js';
export { escapeHtml, renderRunReport } from './html.js';
export { renderRunMarkdown } from './markdown.js';
export { cellText, renderStudyReport, studyFigureHtml } from './study.js';
export type {
  StudyAxisInput,
  StudyCheckInput,
  StudyFigureInput,
  StudyFigurePointInput,
  StudyReportInput,
  StudyRunInput,
  StudyTableInput,
} from './study-input.js';
export { studyResultLabel } from './study-input.js';
export { describeProblem, slopePerLayer, verdictSummary } from './summary.js';
export { renderSvg, type TopLevelSpec } from './vega.js';
export { renderVerifySummary, type VerifySummaryOptions } from './verify-summary.js';
