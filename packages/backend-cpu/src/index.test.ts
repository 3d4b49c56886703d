import { describeBackendConformance } from '@gradlab/testkit';
import { cpuBackend } from './index.js';

// The oracle against itself: the comparisons are trivially exact, and the kit still checks the
// adapter contract, determinism, memory, async-only read-back and the registry.
describeBackendConformance({ adapter: cpuBackend, oracle: cpuBackend });
