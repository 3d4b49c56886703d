// A knownGaps entry that names no test fails the suite.
import { registerConformance } from '../suite.js';
import { cpuCopy } from './fakes.js';

registerConformance(
  {
    adapter: cpuCopy('unknown-gap'),
    knownGaps: [{ test: 'gradient/no-such-op', reason: 'a typo' }],
  },
  { only: ['knownGaps', 'adapter/spec'] },
);
