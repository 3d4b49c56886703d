/**
 * @gradlab/sweep/report: sweep.html, a sweep directory's heatmaps and tables in one
 * self-contained page. Vega loads on the first render only.
 */
export { type AxisChoice, axisNames, chooseAxes, type ReportAxis } from './axes.js';
export { SWEEP_MEASURES, type SweepMeasure } from './measures.js';
export type { SweepOverlay } from './overlay.js';
export { sweepOverlays } from './overlays-for.js';
export { renderSweepReport, type SweepReportOptions } from './render.js';
