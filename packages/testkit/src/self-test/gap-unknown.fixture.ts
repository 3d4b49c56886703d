// A knownGaps entry that names no test fails the suite.

import { registerConformance } from '../suite.js';
import { cpuCopy } from './fakes.js';
import { cpuOracle } from './oracle.js';

registerConformance(
  {
    oracle: cpuOracle,
    adapter: cpuCopy('unknown-gap'),
    knownGaps: [{ test: 'gradient/no-such-op', reason: 'a typo' }],
  },
  { only: ['knownGaps', 'adapter/spec'] },
);
