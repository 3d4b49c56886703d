// The whole kit on a copy of cpu with a broken ELU gradient that the adapter lists as a known
// gap: every test passes, 'gradient/elu' because it fails.

import { describeBackendConformance } from '../index.js';
import { brokenEluCopy, ELU_GAP } from './fakes.js';
import { cpuOracle } from './oracle.js';

describeBackendConformance({ oracle: cpuOracle, adapter: brokenEluCopy('broken-elu', [ELU_GAP]) });
