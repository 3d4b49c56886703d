import type { Study } from '../study.js';
import { addingProblemStudy } from './adding-problem/study.js';
import { deepLinearStudy } from './deep-linear/study.js';
import { glorotBengioStudy } from './glorot-bengio/study.js';
import { heInitStudy } from './he-init/study.js';
import { lrSchedulesStudy } from './lr-schedules/study.js';
import { meanFieldStudy } from './mean-field/study.js';
import { pascanuClippingStudy } from './pascanu-clipping/study.js';
import { phaseDiagramStudy } from './phase-diagram/study.js';
import { pretrainingStudy } from './pretraining/study.js';
import { residualNormStudy } from './residual-norm/study.js';
import { rosenbrockStudy } from './rosenbrock/study.js';
import { widthFluctuationsStudy } from './width-fluctuations/study.js';

/**
 * The catalogue of studies: each reproduces a published result and checks it. Order is the
 * order of `gradlab presets` and `gradlab verify all`.
 */
// biome-ignore lint/suspicious/noExplicitAny: each study has its own settings type
export const studies: readonly Study<any>[] = [
  glorotBengioStudy, // 1
  heInitStudy, // 2
  meanFieldStudy, // 3
  residualNormStudy, // 4
  pascanuClippingStudy, // 5
  addingProblemStudy, // 6
  deepLinearStudy, // 7
  widthFluctuationsStudy, // 8
  lrSchedulesStudy, // 9
  pretrainingStudy, // 10
  rosenbrockStudy, // 11
  phaseDiagramStudy, // 12
];
