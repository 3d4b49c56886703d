import type { SweepFile } from '../sweep-file.js';
import type { SweepOverlay } from './overlay.js';

/**
 * The curves `gradlab report` draws over a sweep's heatmaps. Theory overlays for phase sweeps
 * (the critical line of mean-field theory, the 6·xi_c depth scale) are added here, chosen by
 * the sweep's axes; until then a sweep has none.
 */
export function sweepOverlays(_file: SweepFile): SweepOverlay[] {
  return [];
}
