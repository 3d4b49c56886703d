// Copies of cpu with one kernel broken the way a native backend could break it: each must fail
// the kernel test that covers it, while a test of another kernel passes on the same copy.

import { registerConformance } from '../suite.js';
import {
  batchStrideCopy,
  fixedAlphaCopy,
  fixedAlphaDenseGradCopy,
  naiveNormsCopy,
  uncheckedGatherCopy,
  uncountedCloneCopy,
} from './fakes.js';
import { cpuOracle } from './oracle.js';

registerConformance(
  { oracle: cpuOracle, adapter: batchStrideCopy('batch-stride') },
  { only: ['kernel/matMul', 'kernel/gather'] },
);
registerConformance(
  { oracle: cpuOracle, adapter: fixedAlphaCopy('fixed-alpha') },
  { only: ['kernel/fused-matMul', 'kernel/matMul'] },
);
registerConformance(
  { oracle: cpuOracle, adapter: uncheckedGatherCopy('unchecked-gather') },
  { only: ['kernel/gather-out-of-range', 'kernel/gather'] },
);
registerConformance(
  { oracle: cpuOracle, adapter: uncountedCloneCopy('uncounted-clone') },
  { only: ['kernel/identity-cast', 'kernel/matMul-broadcast'] },
);
registerConformance(
  { oracle: cpuOracle, adapter: naiveNormsCopy('naive-norms') },
  { only: ['kernel/norms', 'kernel/cast-to-bool'] },
);
registerConformance(
  { oracle: cpuOracle, adapter: fixedAlphaDenseGradCopy('dense-grad-alpha') },
  { only: ['kernel/dense', 'kernel/gather-batch-dims'] },
);
