import type { SweepFile } from '../sweep-file.js';
import type { SweepOverlay } from './overlay.js';
import { phaseOverlays } from './phase-overlays.js';

/**
 * The curves `gradlab report` draws over a sweep's heatmaps: for a tanh phase sweep
 * (`phase-tanh`), mean-field theory's critical line and the 6·xi_c depth scale; none for others.
 */
export function sweepOverlays(file: SweepFile): SweepOverlay[] {
  return phaseOverlays(file);
}
