import { defineStudy } from '../../define/define-study.js';
import type { StudyRun } from '../../study.js';
import { trainingPlan } from '../../study-kit/study-plan.js';
import { gridCellSpec, resolveSw2, tanhGridCells } from '../../study-kit/tanh-grid.js';
import { checks, declared, measure } from './checks.js';
import { randomTanhNetwork } from './chi-measure.js';
import { figures, tables } from './figures.js';
import {
  checkSettings,
  chiLabel,
  GRID_LABEL,
  type MeanFieldSettings,
  scaleNote,
  settings,
} from './settings.js';

/** Each chi point's random networks, seed by seed, measured at initialisation. */
const chiRuns = (s: MeanFieldSettings): StudyRun[] =>
  s.points.flatMap((point) =>
    s.seeds.map((seed) => {
      const label = chiLabel(point, seed);
      const spec = randomTanhNetwork({
        name: `mean-field-${label}`,
        seed,
        sw2: resolveSw2(point.sw2, s.sb2),
        sb2: s.sb2,
        depth: s.chiDepth,
        width: s.chiWidth,
        batchSize: s.chiBatchSize,
        outputs: s.chiOutputs,
      });
      return { label, spec };
    }),
  );

/** The trainability grid's cells, sw2 by sw2, each trained on MNIST. */
const gridRuns = (s: MeanFieldSettings): StudyRun[] =>
  tanhGridCells({ sw2: s.gridSw2, depths: s.gridDepths, sb2: s.sb2 }).map((cell) => {
    const label = `${GRID_LABEL}${cell.key}`;
    const spec = gridCellSpec({
      name: `mean-field-${label}`,
      seed: s.gridSeed,
      sw2: cell.sw2Value,
      sb2: s.sb2,
      depth: cell.depth,
      width: s.gridWidth,
      steps: s.gridSteps,
      batchSize: s.gridBatchSize,
      lr: s.gridLr,
      samples: s.gridSamples,
      residualEvery: s.residualEvery,
    });
    return { label, spec };
  });

/** The chi points' random networks, then the grid's cells. */
const meanFieldRuns = (s: MeanFieldSettings): StudyRun[] => [...chiRuns(s), ...gridRuns(s)];

export const meanFieldStudy = defineStudy<MeanFieldSettings>({
  name: 'mean-field',
  title:
    'Mean-field theory: random tanh networks follow chi_1, and depth 6 xi_c bounds trainability',
  reference:
    'Poole, Lahiri, Raghu, Sohl-Dickstein & Ganguli (2016), Exponential expressivity in deep neural networks through transient chaos, NeurIPS; Schoenholz, Gilmer, Ganguli & Sohl-Dickstein (2017), Deep information propagation, ICLR.',
  claim:
    "In a wide random tanh network with W ~ N(0, sw2/N) and b ~ N(0, sb2), the squared backward signal changes by chi_1 = sw2 E[phi'(h)^2] per layer (below 1 in the ordered phase, 1 on the critical line, above 1 in the chaotic phase), and such networks train only to a depth of about 6 xi_c.",
  usesBackend: true,
  checks: declared,
  settings,
  scaleNote,
  ...trainingPlan(checkSettings, meanFieldRuns, measure, { checks, figures, tables }),
});
