// Backends the kit must fail: one whose reductions are noisy ('determinism/seed'), one whose
// kernel reads back synchronously ('readback/async-only').

import { registerConformance } from '../suite.js';
import { noisyCopy, syncReadingCopy } from './fakes.js';
import { cpuOracle } from './oracle.js';

registerConformance(
  { oracle: cpuOracle, adapter: noisyCopy('noisy-sum') },
  { only: ['determinism/seed'] },
);
registerConformance(
  { oracle: cpuOracle, adapter: syncReadingCopy('sync-sqrt') },
  { only: ['readback/async-only', 'adapter/activate'] },
);
