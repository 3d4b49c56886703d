import { defineStudy } from '../../define/define-study.js';
import type { StudyRun } from '../../study.js';
import { trainingPlan } from '../../study-kit/study-plan.js';
import { tanhGridCells } from '../../study-kit/tanh-grid.js';
import { checks, declared, measure } from './checks.js';
import { figures, tables } from './figures.js';
import { phaseCellSpec } from './phase-grid.js';
import { checkSettings, type PhaseDiagramSettings, scaleNote, settings } from './settings.js';

/** One run per cell of the grid, sw2 by sw2, labelled by the cell: "sw2-critical-depth40". */
const cellRuns = (s: PhaseDiagramSettings): StudyRun[] =>
  tanhGridCells(s.grid).map(({ key, sw2Value, depth }) => ({
    label: key,
    spec: phaseCellSpec(s.grid, { name: `phase-diagram-${key}`, sw2: sw2Value, depth }),
  }));

export const phaseDiagramStudy = defineStudy<PhaseDiagramSettings>({
  name: 'phase-diagram',
  title: 'The tanh phase diagram: networks near the critical line train deepest',
  reference:
    'Schoenholz, Gilmer, Ganguli & Sohl-Dickstein (2017), Deep information propagation, ICLR (Fig. 5).',
  claim:
    'Across the order-to-chaos transition of tanh networks (sb2 = 0.05), the depth to which a plain MLP trains peaks at the critical sw2, where the depth scale xi_c diverges, and falls away on both sides, as trainable depth ~ 6 xi_c predicts.',
  usesBackend: true,
  checks: declared,
  settings,
  scaleNote,
  ...trainingPlan(checkSettings, cellRuns, measure, { checks, figures, tables }),
});
