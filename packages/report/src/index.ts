/** gradlab run reports: Vega-Lite charts rendered to SVG in Node, and a self-contained HTML page. */
// The chart specs and the verdict in words: the browser-safe part, also "@gradlab/report/charts".
export * from './chart-specs.js';
export {
  type BackendComparisonJson,
  type BackendComparisonJsonBackend,
  type ComparisonJson,
  type ComparisonJsonRow,
  readComparisonJson,
  renderBackendComparisonReport,
  renderComparisonReport,
  writeBackendComparisonReport,
  writeComparisonReport,
} from './comparison.js';
export { escapeHtml, figure, page, renderRunReport } from './html.js';
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
export { renderSvg, type TopLevelSpec } from './vega.js';
export { renderVerifySummary, type VerifySummaryOptions } from './verify-summary.js';
