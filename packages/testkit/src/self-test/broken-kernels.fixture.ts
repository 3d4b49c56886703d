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

registerConformance(
  { adapter: batchStrideCopy('batch-stride') },
  { only: ['kernel/matMul', 'kernel/gather'] },
);
registerConformance(
  { adapter: fixedAlphaCopy('fixed-alpha') },
  { only: ['kernel/fused-matMul', 'kernel/matMul'] },
);
registerConformance(
  { adapter: uncheckedGatherCopy('unchecked-gather') },
  { only: ['kernel/gather-out-of-range', 'kernel/gather'] },
);
registerConformance(
  { adapter: uncountedCloneCopy('uncounted-clone') },
  { only: ['kernel/identity-cast', 'kernel/matMul-broadcast'] },
);
registerConformance(
  { adapter: naiveNormsCopy('naive-norms') },
  { only: ['kernel/norms', 'kernel/cast-to-bool'] },
);
registerConformance(
  { adapter: fixedAlphaDenseGradCopy('dense-grad-alpha') },
  { only: ['kernel/dense', 'kernel/gather-batch-dims'] },
);
