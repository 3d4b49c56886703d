// A correct copy of cpu that still lists the ELU gap: 'gradient/elu' must fail, telling to
// remove it.

import { registerConformance } from '../suite.js';
import { cpuCopy, ELU_GAP } from './fakes.js';
import { cpuOracle } from './oracle.js';

registerConformance(
  { oracle: cpuOracle, adapter: cpuCopy('fixed-elu'), knownGaps: [ELU_GAP] },
  { only: ['gradient/elu', 'gradient/tanh'] },
);
