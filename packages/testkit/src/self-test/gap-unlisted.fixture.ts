// The broken copy with its gap overridden by an empty knownGaps: 'gradient/elu' fails on the
// numbers; 'gradient/selu' passes; and a tolerance given as an option is used.

import { registerConformance } from '../suite.js';
import { brokenEluCopy, ELU_GAP } from './fakes.js';
import { cpuOracle } from './oracle.js';

registerConformance(
  {
    oracle: cpuOracle,
    adapter: brokenEluCopy('unlisted-elu', [ELU_GAP]),
    knownGaps: [],
    tolerance: 1e-5,
  },
  { only: ['gradient/elu', 'gradient/selu'] },
);
